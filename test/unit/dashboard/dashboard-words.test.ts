import assert from 'node:assert/strict';

// The page's own modules (plain ES modules, hub/dashboard/static): the pure parts, run in Node.
const format = await import(`${'../../../hub/dashboard/static/format.js'}`);
const { workloadKinds } = await import(`${'../../../hub/dashboard/static/workloads.js'}`);
const rowOf = (kind: string, obj: object) => workloadKinds.find((w: any) => w.kind === kind).row(obj);

const ready = (status: string, lastTransitionTime?: string) => ({
  metadata: { name: 'gw-1' },
  status: { conditions: [{ type: 'Ready', status, ...(lastTransitionTime ? { lastTransitionTime } : {}) }] },
});

describe('web dashboard: what the page says', () => {
  it('calls a gateway offline once the hub turned its Ready condition Unknown', () => {
    assert.equal(format.gatewayState(ready('True')), 'online');
    assert.equal(format.gatewayState(ready('False')), 'not ready');
    assert.equal(format.gatewayState(ready('Unknown')), 'offline');
    assert.equal(format.gatewayState({ metadata: { name: 'new' }, status: {} }), 'offline');
  });

  it('dates an offline gateway from the later of its last heartbeat and its being marked unreachable', () => {
    const node = ready('Unknown', '2026-12-07T10:00:05Z');
    assert.equal(
      format.lastSeen(node, { spec: { renewTime: '2026-12-07T10:00:01.000000Z' } }),
      Date.parse('2026-12-07T10:00:05Z'),
    );
    assert.equal(
      format.lastSeen(node, { spec: { renewTime: '2026-12-07T10:00:09.000000Z' } }),
      Date.parse('2026-12-07T10:00:09Z'),
    );
    assert.equal(format.lastSeen(ready('Unknown'), undefined), undefined);
    assert.equal(format.ago(undefined), 'never');
    assert.equal(format.ago(1_000, 6_000), '5s ago');
    assert.equal(format.ago(0, 3 * 3600_000), '3h ago');
  });

  it('reads CPU and memory quantities, and shows usage only when the metrics API gave it', () => {
    assert.equal(format.quantity('250m'), 0.25);
    assert.equal(format.quantity('2Gi'), 2 * 1024 ** 3);
    assert.equal(format.usage(undefined, 2, format.cores), '2');
    assert.equal(format.usage(0.25, 2, format.cores), '250m / 2');
    assert.equal(format.usage(undefined, 1536 * 1024 ** 2, format.bytes), '1.5 GiB');
  });

  it('judges a rollout by the checks kubectl rollout status makes', () => {
    const deployment = (status: object, generation = 1) => ({
      metadata: { name: 'web', generation },
      spec: { replicas: 3 },
      status,
    });
    const done = {
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    };
    assert.equal(rowOf('Deployment', deployment(done)).rollout, 'complete');
    assert.equal(rowOf('Deployment', deployment(done, 2)).rollout, 'waiting for the controller');
    assert.equal(
      rowOf('Deployment', deployment({ ...done, updatedReplicas: 1 })).rollout,
      'rolling out: 1 of 3 updated',
    );
    assert.equal(
      rowOf('Deployment', deployment({ ...done, replicas: 4 })).rollout,
      'rolling out: 1 old pods left',
    );
    assert.equal(
      rowOf(
        'Deployment',
        deployment({ ...done, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] }),
      ).rollout,
      'failed: progress deadline exceeded',
    );
    assert.deepEqual(
      rowOf('DaemonSet', {
        metadata: { generation: 1 },
        status: {
          observedGeneration: 1,
          desiredNumberScheduled: 4,
          numberReady: 3,
          updatedNumberScheduled: 4,
          numberAvailable: 3,
        },
      }),
      {
        desired: 4,
        ready: 3,
        updated: 4,
        rollout: 'rolling out: 3 of 4 available',
      },
    );
  });
});
