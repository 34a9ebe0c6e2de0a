import assert from 'node:assert/strict';
import type { Site } from '../../../api/site-inventory.js';
import { chooseAddress } from '../../../hub/cloud/pool-allocation.js';

const site: Site = {
  metadata: { name: 'plant-a' },
  spec: {
    networks: ['172.30.5.0/24'],
    addressPools: [
      { name: 'line', addresses: ['172.30.5.254-172.30.5.255', '172.30.5.10'] },
      { name: 'spare', addresses: ['172.30.5.32/31'] },
    ],
  },
};

describe('LoadBalancer pool allocation', () => {
  it('takes the lowest free address of the first pool, never the network broadcast address', () => {
    assert.deepEqual(chooseAddress(site, new Set(), {}), { address: '172.30.5.254', pool: 'line' });
    assert.deepEqual(chooseAddress(site, new Set(['172.30.5.254']), {}), {
      address: '172.30.5.10',
      pool: 'line',
    });
  });

  it('moves on to the next pool, and says when every pool is exhausted', () => {
    const taken = new Set(['172.30.5.254', '172.30.5.10', '172.30.5.32']);
    assert.deepEqual(chooseAddress(site, taken, {}), { address: '172.30.5.33', pool: 'spare' });
    taken.add('172.30.5.33');
    assert.deepEqual(chooseAddress(site, taken, {}), {
      reason: 'PoolExhausted',
      message: 'no free address in pool(s) line, spare of site plant-a',
    });
  });

  it('keeps the address a Service holds while it is still in a pool', () => {
    assert.deepEqual(chooseAddress(site, new Set(), { current: '172.30.5.33' }), {
      address: '172.30.5.33',
      pool: 'spare',
    });
    assert.deepEqual(chooseAddress(site, new Set(), { current: '172.30.5.99' }), {
      address: '172.30.5.254',
      pool: 'line',
    });
  });

  it('honours a requested address only when it is in a pool and free', () => {
    assert.deepEqual(chooseAddress(site, new Set(), { requested: '172.30.5.32' }), {
      address: '172.30.5.32',
      pool: 'spare',
    });
    assert.equal(
      (chooseAddress(site, new Set(), { requested: '172.30.5.40' }) as { reason: string }).reason,
      'AddressNotInPool',
    );
    assert.deepEqual(chooseAddress(site, new Set(['172.30.5.32']), { requested: '172.30.5.32' }), {
      reason: 'AddressInUse',
      message: 'requested address 172.30.5.32 is held by another Service',
    });
  });

  it('draws from the pool a Service names', () => {
    assert.deepEqual(chooseAddress(site, new Set(), { pool: 'spare' }), {
      address: '172.30.5.32',
      pool: 'spare',
    });
    assert.equal(
      (chooseAddress(site, new Set(), { pool: 'nope' }) as { reason: string }).reason,
      'NoSuchPool',
    );
  });
});
