import assert from 'node:assert/strict';
import { BlockList } from 'node:net';
import { encodePayload } from '../../../api/mqtt/codec.js';
import type { DesiredState } from '../../../api/mqtt/payloads/desired-state.js';
import type { KubeObject } from '../../../api/types.js';
import { HollowDesired } from '../../../bench/lib/hollow-desired.js';

const pod = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, ...extra },
  spec: { nodeName: 'hollow-1', containers: [{ name: 'main', image: 'busybox' }] },
});

function state(revision: number, pods: KubeObject[], podCIDR?: string, node = 'hollow-1'): Buffer {
  const desired: DesiredState = {
    revision,
    node,
    pods,
    configMaps: [],
    secrets: [],
    services: [],
    endpointSlices: [],
    ...(podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {}),
  };
  return encodePayload(desired);
}

const inside = (ip: string, cidr: string) => {
  const list = new BlockList();
  const [base = '', bits = ''] = cidr.split('/');
  list.addSubnet(base, Number(bits), 'ipv4');
  return list.check(ip, 'ipv4');
};

describe('hollow gateway: desired state', () => {
  it('asks for a resync until something is applied', () => {
    const desired = new HollowDesired('hollow-1', '10.128.0.2', () => 1_000);
    assert.equal(desired.resyncRequest()?.reason, 'no desired state yet');
    desired.receive(state(5, []));
    assert.equal(desired.resyncRequest(), undefined);
  });

  it('runs each pod with a distinct IP from the podCIDR and a full Running status', () => {
    const desired = new HollowDesired('hollow-1', '10.128.0.2', () => 1_000);
    const out = desired.receive(state(5, [pod('a'), pod('b')], '10.64.3.0/24'));
    assert.deepEqual(out.ack, { revision: 5, observedAt: 1_000 });
    assert.equal(out.podCidrChanged, true);
    const ips = out.podStatus.map((item) => item.status.podIP as string);
    assert.equal(new Set(ips).size, 2);
    for (const item of out.podStatus) {
      assert.ok(inside(item.status.podIP as string, '10.64.3.0/24'));
      assert.notEqual(item.status.podIP, '10.64.3.1', 'the bridge keeps the first address');
      assert.equal(item.status.phase, 'Running');
      assert.equal(item.status.hostIP, '10.128.0.2');
      assert.deepEqual(
        item.status.conditions?.map((c) => [c.type, c.status]),
        ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready'].map((t) => [t, 'True']),
      );
      assert.equal(item.uid, `uid-${item.name}`);
    }
  });

  it('starts no pod before the podCIDR arrives, and all of them once it does', () => {
    const desired = new HollowDesired('hollow-1', '10.128.0.2');
    assert.deepEqual(desired.receive(state(5, [pod('a')])).podStatus, []);
    assert.equal(desired.receive(state(6, [pod('a')], '10.64.3.0/24')).podStatus.length, 1);
  });

  it('acknowledges the same revision again and ignores older ones and other nodes', () => {
    const desired = new HollowDesired('hollow-1', '10.128.0.2', () => 1_000);
    desired.receive(state(7, [pod('a')], '10.64.3.0/24'));
    const again = desired.receive(state(7, [pod('a')], '10.64.3.0/24'));
    assert.deepEqual(again.ack, { revision: 7, observedAt: 1_000 });
    assert.deepEqual(again.podStatus, []);
    assert.deepEqual(desired.receive(state(6, [pod('b')], '10.64.3.0/24')), {
      podStatus: [],
      podCidrChanged: false,
    });
    assert.deepEqual(desired.receive(state(9, [pod('c')], '10.64.4.0/24', 'hollow-2')), {
      podStatus: [],
      podCidrChanged: false,
    });
    assert.equal(desired.podCount, 1);
  });

  it('finalizes a deleting pod and forgets it', () => {
    const desired = new HollowDesired('hollow-1', '10.128.0.2', () => 1_000);
    desired.receive(state(5, [pod('a')], '10.64.3.0/24'));
    const deleting = pod('a', { deletionTimestamp: '2025-01-01T00:00:00Z' });
    const out = desired.receive(state(6, [deleting], '10.64.3.0/24'));
    assert.equal(out.podStatus.length, 1);
    assert.equal(out.podStatus[0]!.finalized, true);
    assert.equal(out.podStatus[0]!.uid, 'uid-a');
    assert.equal(desired.podCount, 0);
    assert.deepEqual(desired.allStatuses(), []);
  });
});
