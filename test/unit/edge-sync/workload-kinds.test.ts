import assert from 'node:assert/strict';
import { workloadKinds } from '../../../hub/edge-sync/workload-kinds.js';
import {
  aDaemonSet,
  aDeployment,
  aJob,
  aReplicationController,
  aStatefulSet,
} from '../../helpers/builders.js';

const desired = (kind: string, obj: object) => workloadKinds.get(kind)!.desired(obj as any);

describe('workload summaries: the pods a workload asks for', () => {
  it('is spec.replicas for the replicated kinds, 1 when unset as the API defaults it', () => {
    assert.equal(desired('deployment', aDeployment()), 2);
    assert.equal(
      desired('statefulset', { ...aStatefulSet(), spec: { ...aStatefulSet().spec, replicas: 5 } }),
      5,
    );
    assert.equal(desired('replicationcontroller', { ...aReplicationController(), spec: {} }), 1);
    assert.equal(desired('replicaset', { ...aDeployment(), spec: { replicas: 0 } }), 0);
  });

  it('is the nodes a DaemonSet should run on, as its controller counted them', () => {
    assert.equal(desired('daemonset', aDaemonSet()), 0);
    assert.equal(desired('daemonset', { ...aDaemonSet(), status: { desiredNumberScheduled: 7 } }), 7);
  });

  it('is a running Job’s parallelism, and 0 once it completed or failed', () => {
    assert.equal(desired('job', aJob()), 1);
    assert.equal(desired('job', { ...aJob(), spec: { ...aJob().spec, parallelism: 4 } }), 4);
    for (const type of ['Complete', 'Failed']) {
      assert.equal(desired('job', { ...aJob(), status: { conditions: [{ type, status: 'True' }] } }), 0);
    }
  });
});
