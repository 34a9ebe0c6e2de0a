import assert from 'node:assert/strict';
import { observe, staleConditions } from '../../../hub/controllers/node-lifecycle/node-health.js';
import { desiredTaints, sameTaints } from '../../../hub/controllers/node-lifecycle/node-taints.js';
import { evictionTime } from '../../../hub/controllers/node-lifecycle/taint-eviction.js';
import type { Condition, Node, Taint } from '../../../hub/controllers/objects/kinds.js';

const t0 = Date.parse('2025-06-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const aNode = (conditions: Condition[], taints: Taint[] = [], unschedulable = false): Node => ({
  metadata: { name: 'gw', creationTimestamp: iso(t0 - 60_000) },
  spec: { taints, unschedulable },
  status: { conditions },
});
const ready = (status: string, heartbeat = iso(t0)): Condition => ({
  type: 'Ready',
  status,
  lastHeartbeatTime: heartbeat,
  message: 'from the agent',
});

describe('Node health', () => {
  it('moves the probe time only when the lease or the Ready heartbeat changes', () => {
    const first = observe(undefined, aNode([ready('True')]), 'r1', t0);
    assert.equal(observe(first, aNode([ready('True')]), 'r1', t0 + 30_000), first);
    assert.equal(
      observe(first, aNode([ready('Unknown')]), 'r1', t0 + 30_000),
      first,
      'a status change is no heartbeat',
    );
    assert.equal(observe(first, aNode([ready('True')]), 'r2', t0 + 30_000).probeMs, t0 + 30_000);
    assert.equal(
      observe(first, aNode([ready('True', iso(t0 + 5000))]), 'r1', t0 + 30_000).probeMs,
      t0 + 30_000,
    );
  });

  it('turns Ready and pressure conditions Unknown after the grace period, never before', () => {
    const node = aNode([ready('True'), { type: 'MemoryPressure', status: 'False' }]);
    const seen = observe(undefined, node, 'r1', t0);
    assert.equal(staleConditions(node, seen, t0 + 40_000, 40_000, iso(t0 + 40_000)), undefined);
    const stale = staleConditions(node, seen, t0 + 41_000, 40_000, iso(t0 + 41_000))!;
    assert.deepEqual(
      stale.map((c) => [c.type, c.status, c.reason]),
      [
        ['Ready', 'Unknown', 'NodeStatusUnknown'],
        ['MemoryPressure', 'Unknown', 'NodeStatusUnknown'],
        ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated'],
        ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated'],
      ],
    );
    assert.equal(stale[0]?.message, 'Gateway unreachable: it never sent a heartbeat');
    assert.equal(stale[1]?.message, 'Kubelet stopped posting node status.');
    const seenAt = new Date(t0 - 5000);
    const since = staleConditions(node, seen, t0 + 41_000, 40_000, iso(t0 + 41_000), seenAt)!;
    assert.equal(
      since[0]?.message,
      'Gateway unreachable since 2025-06-01T11:59:55Z: no heartbeat for more than 40s',
    );
    assert.equal(stale[0]?.lastHeartbeatTime, iso(t0));
  });

  it('leaves a Ready=Unknown written by the MQTT layer as it is', () => {
    const all = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({
      type,
      status: 'Unknown',
      message: 'MQTT session lost',
    }));
    const node = aNode(all);
    assert.equal(
      staleConditions(node, observe(undefined, node, undefined, t0), t0 + 60_000, 40_000, iso(t0)),
      undefined,
    );
  });
});

describe('Node taints from conditions', () => {
  const now = iso(t0);
  const keys = (taints: Taint[]) => taints.map((t) => `${t.key}:${t.effect}${t.timeAdded ? '@' : ''}`);

  it('taints unreachable for Unknown and not-ready for False, NoExecute with timeAdded', () => {
    assert.deepEqual(keys(desiredTaints(aNode([]), [ready('Unknown')], now)), [
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute@',
    ]);
    assert.deepEqual(keys(desiredTaints(aNode([]), [ready('False')], now)), [
      'node.kubernetes.io/not-ready:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute@',
    ]);
  });

  it('clears its taints on Ready=True, keeps other taints and the time a taint was first added', () => {
    const own = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };
    const earlier = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(t0 - 5000) };
    assert.deepEqual(desiredTaints(aNode([], [own, earlier]), [ready('True')], now), [own]);
    const kept = desiredTaints(aNode([], [own, earlier]), [ready('Unknown')], now);
    assert.equal(kept.find((t) => t.effect === 'NoExecute')?.timeAdded, iso(t0 - 5000));
  });

  it('taints pressure, an unavailable network and cordoning with NoSchedule', () => {
    const conditions = [
      ready('True'),
      { type: 'DiskPressure', status: 'True' },
      { type: 'NetworkUnavailable', status: 'True' },
    ];
    assert.deepEqual(keys(desiredTaints(aNode([], [], true), conditions, now)), [
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/network-unavailable:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
  });

  it('compares taint lists regardless of order', () => {
    const a = { key: 'a', effect: 'NoSchedule' };
    const b = { key: 'b', effect: 'NoExecute', timeAdded: now };
    assert.ok(sameTaints([a, b], [b, a]));
    assert.ok(!sameTaints([a, b], [a]));
  });
});

describe('Taint-based eviction timing', () => {
  const unreachable: Taint = {
    key: 'node.kubernetes.io/unreachable',
    effect: 'NoExecute',
    timeAdded: iso(t0),
  };
  const forever = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' };

  it('never evicts a pod that tolerates the taint without tolerationSeconds (the edge default)', () => {
    assert.equal(evictionTime([forever], [unreachable], t0 + 3_600_000), undefined);
    assert.equal(evictionTime([{ operator: 'Exists' }], [unreachable], t0), undefined);
  });

  it('evicts tolerationSeconds after the taint was added, however late the controller looks', () => {
    const fiveMinutes = [{ ...forever, tolerationSeconds: 300 }];
    assert.equal(evictionTime(fiveMinutes, [unreachable], t0 + 10_000), t0 + 300_000);
    assert.equal(evictionTime(fiveMinutes, [unreachable], t0 + 900_000), t0 + 300_000);
    assert.equal(evictionTime([{ ...forever, tolerationSeconds: 0 }], [unreachable], t0 + 5), t0 + 5);
  });

  it('evicts at once for an untolerated NoExecute taint and ignores NoSchedule ones', () => {
    const other: Taint = { key: 'maintenance', effect: 'NoExecute', timeAdded: iso(t0) };
    assert.equal(evictionTime([forever], [unreachable, other], t0 + 7), t0 + 7);
    assert.equal(evictionTime([], [{ key: 'x', effect: 'NoSchedule' }], t0), undefined);
  });

  it('counts from now when a taint carries no timeAdded', () => {
    const untimed: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
    assert.equal(evictionTime([{ ...forever, tolerationSeconds: 60 }], [untimed], t0), t0 + 60_000);
  });
});
