import assert from 'node:assert/strict';
import { NodeIpamController } from '../../../hub/controllers/node-ipam/node-ipam-controller.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { type Harness, node, startControllers, until } from './controller-harness.js';

describe('Node IPAM (real hub)', () => {
  let t: TestHub;
  let h: Harness;
  // Two /24 blocks only, so that release and restore are visible.
  const options = { clusterCIDR: '10.50.0.0/23', nodeCIDRMaskSize: 24 };
  before(async () => {
    t = await startTestHub();
    h = startControllers(t, [(ctx) => new NodeIpamController(ctx, options)]);
  });
  after(async () => {
    h.stop();
    await t.close();
  });

  const podCIDRs = async (name: string) => (await t.api.get(`/api/v1/nodes/${name}`)).json().spec.podCIDRs;

  it('gives every node its own block of the cluster CIDR', async () => {
    await t.api.post('/api/v1/nodes', node('a'));
    await t.api.post('/api/v1/nodes', node('b'));
    await until(async () => assert.ok((await podCIDRs('a')) && (await podCIDRs('b'))));
    const a = (await t.api.get('/api/v1/nodes/a')).json().spec;
    assert.equal(a.podCIDR, a.podCIDRs[0]);
    assert.deepEqual([...(await podCIDRs('a')), ...(await podCIDRs('b'))].sort(), [
      '10.50.0.0/24',
      '10.50.1.0/24',
    ]);
  });

  it("hands a deleted node's block to the next node once the range is full", async () => {
    await t.api.post('/api/v1/nodes', node('c'));
    await until(() => assert.ok(h.logs.some((l) => l.includes('c: no pod CIDR left in 10.50.0.0/23'))));
    assert.equal(await podCIDRs('c'), undefined);
    const freed = await podCIDRs('a');
    await t.api.delete('/api/v1/nodes/a');
    await until(async () => assert.deepEqual(await podCIDRs('c'), freed), { timeoutMs: 5000 });
  });

  it('restores the blocks in use when it starts again, never giving one out twice', async () => {
    h.stop();
    h = startControllers(t, [(ctx) => new NodeIpamController(ctx, options)]);
    await t.api.post('/api/v1/nodes', node('d'));
    await until(() => assert.ok(h.logs.some((l) => l.includes('d: no pod CIDR left'))));
    assert.equal(await podCIDRs('d'), undefined);
  });

  it('refuses a cluster CIDR it cannot use, at construction', () => {
    assert.throws(
      () => new NodeIpamController(h.ctx, { clusterCIDR: '10.42.0.0/33' }),
      /invalid cluster CIDR "10.42.0.0\/33"/,
    );
    assert.throws(
      () => new NodeIpamController(h.ctx, { clusterCIDR: '10.42.0.0/16', nodeCIDRMaskSize: 8 }),
      /mask size 8/,
    );
  });
});
