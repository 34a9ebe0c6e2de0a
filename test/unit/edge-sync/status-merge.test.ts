import assert from 'node:assert/strict';
import type { PodStatusItem } from '../../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../../api/types.js';
import { mergeConditions } from '../../../hub/edge-sync/conditions.js';
import { eventFor } from '../../../hub/edge-sync/node-events.js';
import { mergedPodStatus, observedConditionType, refusal } from '../../../hub/edge-sync/pod-status.js';
import { workloadOf } from '../../../hub/edge-sync/workload-of.js';

const t0 = Date.parse('2025-01-01T00:00:00.000Z');

function boundPod(observedAt?: number): KubeObject {
  const conditions: Record<string, unknown>[] = [{ type: 'PodScheduled', status: 'True' }];
  if (observedAt !== undefined) {
    conditions.push({
      type: observedConditionType,
      status: 'True',
      lastProbeTime: new Date(observedAt).toISOString(),
    });
  }
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'uid-1' },
    spec: { nodeName: 'gw-1' },
    status: { phase: 'Pending', qosClass: 'BestEffort', conditions },
  };
}

function report(observedAt: number, extra: Partial<PodStatusItem> = {}): PodStatusItem {
  return {
    namespace: 'default',
    name: 'p',
    uid: 'uid-1',
    observedAt,
    status: { phase: 'Running', qosClass: 'Guaranteed' },
    ...extra,
  };
}

describe('status merging', () => {
  it('refuses older observations, other nodes and other pod instances', () => {
    assert.equal(refusal(boundPod(t0), 'gw-1', report(t0 - 1)), 'stale');
    assert.equal(refusal(boundPod(t0), 'gw-1', report(t0)), undefined);
    assert.equal(refusal(boundPod(), 'gw-2', report(t0)), 'wrong-node');
    assert.equal(refusal(boundPod(), 'gw-1', report(t0, { uid: 'uid-2' })), 'wrong-uid');
  });

  it("keeps the scheduler's condition and the immutable qosClass, and records the observation time", () => {
    const status = mergedPodStatus(boundPod(), 'gw-1', report(t0 + 1234));
    assert.equal(status.phase, 'Running');
    assert.equal(status.qosClass, 'BestEffort');
    const conditions = status.conditions as Array<Record<string, unknown>>;
    assert.deepEqual(
      conditions.map((c) => c.type),
      ['PodScheduled', observedConditionType],
    );
    assert.equal(conditions[1]!.lastProbeTime, '2025-01-01T00:00:01.234Z');
  });

  it('moves lastTransitionTime of a node condition only when its status changes', () => {
    const stored = [{ type: 'Ready', status: 'True', lastTransitionTime: 'then', lastHeartbeatTime: 'then' }];
    const same = mergeConditions(stored, [{ type: 'Ready', status: 'True' }], t0);
    assert.deepEqual(same[0], {
      type: 'Ready',
      status: 'True',
      lastHeartbeatTime: '2025-01-01T00:00:00.000Z',
      lastTransitionTime: 'then',
    });
    const changed = mergeConditions(
      stored,
      [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }],
      t0,
    );
    assert.equal(changed[0]!.lastTransitionTime, '2025-01-01T00:00:00.000Z');
  });

  it('names an event after its report, so a redelivery is the same event', () => {
    const r = {
      involvedObject: { kind: 'Node' as const, name: 'gw-1' },
      type: 'Warning' as const,
      reason: 'DiskFull',
      message: 'm',
      observedAt: t0,
    };
    const a = eventFor('gw-1', r);
    assert.equal(a.metadata.name, eventFor('gw-1', structuredClone(r)).metadata.name);
    assert.notEqual(a.metadata.name, eventFor('gw-1', { ...r, observedAt: t0 + 1 }).metadata.name);
    // The next count of the same series is the same Event.
    const again = eventFor('gw-1', { ...r, observedAt: t0 + 10_000, count: 2, firstObservedAt: t0 });
    assert.equal(again.metadata.name, a.metadata.name);
    assert.equal(again.count, 2);
    assert.equal(a.metadata.namespace, 'default');
    assert.deepEqual(a.source, { component: 'flotilla-agent', host: 'gw-1' });
    assert.equal(a.lastTimestamp, '2025-01-01T00:00:00Z');
  });

  it("folds a Deployment's ReplicaSet into the Deployment for dashboard summaries", () => {
    const rs: KubeObject = {
      metadata: {
        name: 'web-5d8f',
        namespace: 'default',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd', controller: true },
        ],
      },
    };
    const pod: KubeObject = {
      metadata: {
        name: 'web-5d8f-x',
        namespace: 'default',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f', uid: 'r', controller: true },
        ],
      },
    };
    assert.deepEqual(
      workloadOf(pod, () => rs),
      { namespace: 'default', kind: 'deployment', name: 'web' },
    );
    assert.deepEqual(
      workloadOf({ metadata: { name: 'solo', namespace: 'ns' } }, () => undefined),
      { namespace: 'ns', kind: 'pod', name: 'solo' },
    );
  });
});
