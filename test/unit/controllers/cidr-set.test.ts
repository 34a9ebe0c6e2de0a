import assert from 'node:assert/strict';
import { CidrSet } from '../../../hub/controllers/node-ipam/cidr-set.js';

describe('Pod CIDR allocation', () => {
  it('hands out /24 blocks of the cluster CIDR in order, never twice', () => {
    const set = new CidrSet('10.42.0.0/16', 24);
    assert.equal(set.capacity, 256);
    assert.deepEqual(
      [set.allocate(), set.allocate(), set.allocate()],
      ['10.42.0.0/24', '10.42.1.0/24', '10.42.2.0/24'],
    );
  });

  it('skips blocks restored as occupied and reuses released ones only after the rest', () => {
    const set = new CidrSet('10.42.0.0/22', 24);
    assert.ok(set.occupy('10.42.0.0/24'));
    assert.ok(set.occupy('10.42.2.0/24'));
    assert.equal(set.allocate(), '10.42.1.0/24');
    assert.equal(set.allocate(), '10.42.3.0/24');
    assert.equal(set.allocate(), undefined);
    set.release('10.42.1.0/24');
    assert.equal(set.allocate(), '10.42.1.0/24');
  });

  it('refuses CIDRs outside the cluster CIDR, and covers all blocks of a larger one', () => {
    const set = new CidrSet('10.42.0.0/22', 24);
    assert.equal(set.occupy('10.43.0.0/24'), false);
    assert.equal(set.occupy('garbage'), false);
    assert.ok(set.occupy('10.42.0.0/23'));
    assert.ok(set.isTaken('10.42.1.0/24'));
    assert.equal(set.allocate(), '10.42.2.0/24');
  });

  it('normalises a cluster CIDR written with host bits', () => {
    assert.equal(new CidrSet('10.42.7.9/16', 24).allocate(), '10.42.0.0/24');
  });

  it('fails at construction on a configuration it cannot serve', () => {
    assert.throws(() => new CidrSet('10.42.0.0', 24), /invalid cluster CIDR "10.42.0.0"/);
    assert.throws(() => new CidrSet('10.42.0.0/16', 12), /mask size 12: must be between \/16 and \/30/);
    assert.throws(() => new CidrSet('10.0.0.0/8', 26), /more than 65536 blocks/);
  });
});
