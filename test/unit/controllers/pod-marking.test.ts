import assert from 'node:assert/strict';
import { lastHeartbeat } from '../../../hub/controllers/node-lifecycle/node-health.js';
import {
  reachablePodConditions,
  unreachablePodConditions,
} from '../../../hub/controllers/node-lifecycle/pod-marking.js';
import type { Condition, Node, Pod } from '../../../hub/controllers/objects/kinds.js';

const reportedAt = '2025-06-01T11:58:00.250Z';
const since = '2025-06-01T11:59:00Z';
const now = '2025-06-01T12:00:00Z';

const aPod = (phase: string, conditions: Condition[]): Pod => ({
  metadata: { name: 'sensor', namespace: 'default', uid: 'u1' },
  spec: { nodeName: 'gw-1' },
  status: { phase, conditions },
});

const reported = () => [
  { type: 'Initialized', status: 'True', lastTransitionTime: '2025-06-01T10:00:00Z' },
  { type: 'Ready', status: 'True', lastTransitionTime: '2025-06-01T10:00:01Z' },
  { type: 'ContainersReady', status: 'True', lastTransitionTime: '2025-06-01T10:00:01Z' },
  { type: 'flotilla.io/StatusObserved', status: 'True', lastProbeTime: reportedAt },
];

describe('Pods of an unreachable gateway', () => {
  it('turns Ready and ContainersReady False with NodeUnreachable, naming the last report', () => {
    const conditions = unreachablePodConditions(aPod('Running', reported()), 'gw-1', since, now)!;
    const message = `Gateway gw-1 unreachable since ${since}; status as last reported at ${reportedAt}`;
    assert.deepEqual(conditions, [
      { type: 'Initialized', status: 'True', lastTransitionTime: '2025-06-01T10:00:00Z' },
      { type: 'Ready', status: 'False', reason: 'NodeUnreachable', message, lastTransitionTime: now },
      {
        type: 'ContainersReady',
        status: 'False',
        reason: 'NodeUnreachable',
        message,
        lastTransitionTime: now,
      },
      { type: 'flotilla.io/StatusObserved', status: 'True', lastProbeTime: reportedAt },
    ]);
  });

  it('keeps the transition time of a condition that was False already', () => {
    const conditions = reported().map((c) =>
      c.type === 'Ready' ? { ...c, status: 'False', reason: 'ContainersNotReady' } : c,
    );
    const marked = unreachablePodConditions(aPod('Running', conditions), 'gw-1', since, now)!;
    assert.equal(marked.find((c) => c.type === 'Ready')?.lastTransitionTime, '2025-06-01T10:00:01Z');
  });

  it('leaves marked, finished and never reported pods alone', () => {
    const once = unreachablePodConditions(aPod('Running', reported()), 'gw-1', since, now)!;
    assert.equal(unreachablePodConditions(aPod('Running', once), 'gw-1', since, now), undefined);
    assert.equal(unreachablePodConditions(aPod('Succeeded', reported()), 'gw-1', since, now), undefined);
    assert.equal(unreachablePodConditions(aPod('Pending', []), 'gw-1', since, now), undefined);
  });
});

describe('Pods of a gateway heard again', () => {
  const later = '2025-06-01T12:05:00Z';
  const markedPod = (ready: boolean[]) => {
    const pod = aPod('Running', unreachablePodConditions(aPod('Running', reported()), 'gw-1', since, now)!);
    pod.status!.containerStatuses = ready.map((r, i) => ({ name: `c${i}`, ready: r }) as never);
    return pod;
  };

  it('takes the mark back from the containers as last reported', () => {
    const conditions = reachablePodConditions(markedPod([true, true]), later)!;
    assert.deepEqual(
      conditions.filter((c) => c.type === 'Ready' || c.type === 'ContainersReady'),
      [
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: later },
        { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: later },
      ],
    );
    assert.equal(conditions.find((c) => c.type === 'flotilla.io/StatusObserved')?.lastProbeTime, reportedAt);
  });

  it('says which containers were unready, keeping the transition time', () => {
    const ready = reachablePodConditions(markedPod([true, false]), later)!.find((c) => c.type === 'Ready');
    assert.deepEqual(ready, {
      type: 'Ready',
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [c1]',
      lastProbeTime: null,
      lastTransitionTime: now,
    });
  });

  it('leaves unmarked pods alone', () => {
    assert.equal(reachablePodConditions(aPod('Running', reported()), later), undefined);
  });
});

describe("A gateway's last heartbeat", () => {
  const node = (heartbeat?: string): Node => ({
    metadata: { name: 'gw-1' },
    status: {
      conditions: heartbeat ? [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat }] : [],
    },
  });

  it('is the later of the Lease renewTime and the Ready heartbeat', () => {
    assert.equal(
      lastHeartbeat(node('2025-06-01T11:00:00Z'), '2025-06-01T11:59:50.123456Z')?.toISOString(),
      '2025-06-01T11:59:50.123Z',
    );
    assert.equal(
      lastHeartbeat(node('2025-06-01T11:59:55Z'), '2025-06-01T11:59:50.000000Z')?.toISOString(),
      '2025-06-01T11:59:55.000Z',
    );
    assert.equal(lastHeartbeat(node(), undefined), undefined);
  });
});
