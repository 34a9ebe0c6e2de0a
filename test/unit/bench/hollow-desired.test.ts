import assert from 'node:assert/strict';
import { inIPv4Cidr } from '../../../api/ipv4.js';
import { encodePayload } from '../../../api/mqtt/codec.js';
import type { DesiredDelta } from '../../../api/mqtt/payloads/desired-delta.js';
import { type DesiredState, protocolVersion } from '../../../api/mqtt/payloads/desired-state.js';
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
    protocol: protocolVersion,
    revision,
    node,
    pods,
    configMaps: [],
    secrets: [],
    ...(podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {}),
  };
  return encodePayload(desired);
}

describe('hollow gateway: desired state', () => {
  it('names the revision it holds when it asks for a resync', () => {
    const desired = new HollowDesired('hollow-1', '10.128.0.2', () => 1_000);
    assert.equal(desired.resyncRequest().appliedRevision, undefined);
    desired.receive('desired', state(5, []));
    assert.equal(desired.resyncRequest().appliedRevision, 5);
  });

  it('applies a delta onto exactly the revision held, and asks once for a resync after a gap', () => {
    const desired = new HollowDesired('hollow-1', '10.128.0.2', () => 1_000);
    desired.receive('desired', state(5, [pod('a')], '10.64.3.0/24'));
    const delta = (from: number, revision: number, add: string): Buffer => {
      const body: DesiredDelta = {
        protocol: protocolVersion,
        node: 'hollow-1',
        from,
        revision,
        set: { pods: [pod(add)] },
      };
      return encodePayload(body);
    };
    const applied = desired.receive('desiredDelta', delta(5, 6, 'b'));
    assert.deepEqual(applied.ack, { revision: 6, observedAt: 1_000 });
    assert.deepEqual(
      applied.podStatus.map((i) => i.name),
      ['b'],
    );
    const gap = desired.receive('desiredDelta', delta(8, 9, 'c'));
    assert.equal(gap.resync?.appliedRevision, 6);
    assert.equal(desired.receive('desiredDelta', delta(9, 10, 'd')).resync, undefined, 'asked once');
    assert.equal(desired.podCount, 2);
  });

  it('runs each pod with a distinct IP from the podCIDR and a full Running status', () => {
    const desired = new HollowDesired('hollow-1', '10.128.0.2', () => 1_000);
    const out = desired.receive('desired', state(5, [pod('a'), pod('b')], '10.64.3.0/24'));
    assert.deepEqual(out.ack, { revision: 5, observedAt: 1_000 });
    assert.equal(out.podCidrChanged, true);
    const ips = out.podStatus.map((item) => item.status.podIP as string);
    assert.equal(new Set(ips).size, 2);
    for (const item of out.podStatus) {
      assert.ok(inIPv4Cidr(item.status.podIP as string, '10.64.3.0/24'));
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
    assert.deepEqual(desired.receive('desired', state(5, [pod('a')])).podStatus, []);
    assert.equal(desired.receive('desired', state(6, [pod('a')], '10.64.3.0/24')).podStatus.length, 1);
  });

  it('acknowledges the same revision again and ignores older ones and other nodes', () => {
    const desired = new HollowDesired('hollow-1', '10.128.0.2', () => 1_000);
    desired.receive('desired', state(7, [pod('a')], '10.64.3.0/24'));
    const again = desired.receive('desired', state(7, [pod('a')], '10.64.3.0/24'));
    assert.deepEqual(again.ack, { revision: 7, observedAt: 1_000 });
    assert.deepEqual(again.podStatus, []);
    assert.deepEqual(desired.receive('desired', state(6, [pod('b')], '10.64.3.0/24')), {
      podStatus: [],
      podCidrChanged: false,
    });
    assert.deepEqual(desired.receive('desired', state(9, [pod('c')], '10.64.4.0/24', 'hollow-2')), {
      podStatus: [],
      podCidrChanged: false,
    });
    assert.equal(desired.podCount, 1);
  });

  it('finalizes a deleting pod and forgets it', () => {
    const desired = new HollowDesired('hollow-1', '10.128.0.2', () => 1_000);
    desired.receive('desired', state(5, [pod('a')], '10.64.3.0/24'));
    const deleting = pod('a', { deletionTimestamp: '2025-01-01T00:00:00Z' });
    const out = desired.receive('desired', state(6, [deleting], '10.64.3.0/24'));
    assert.equal(out.podStatus.length, 1);
    assert.equal(out.podStatus[0]!.finalized, true);
    assert.equal(out.podStatus[0]!.uid, 'uid-a');
    assert.equal(desired.podCount, 0);
    assert.deepEqual(desired.allStatuses(), []);
  });
});
