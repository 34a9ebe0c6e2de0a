// Shared steps of the Deployment integration tests: make, edit and inspect the Deployment
// `web` in the test's namespace.
import assert from 'node:assert/strict';
import { aDeployment, type TestObject } from '../../helpers/builders.js';
import { deployments, get, list, pods, replicaSets, type WorkloadHub } from './workload-hub.js';

/** `hub` and `namespace` are read at each step, as both are set up in mocha hooks. */
export function deploymentSteps(hub: () => WorkloadHub, namespace: () => string) {
  const create = (change: (d: TestObject) => void = () => {}) => {
    const ns = namespace();
    const d = aDeployment('web');
    d.metadata.namespace = ns;
    change(d);
    return hub().registry.for(deployments).create(ns, d);
  };
  const edit = (change: (d: TestObject) => void) =>
    hub()
      .registry.for(deployments)
      .modify(namespace(), 'web', (current) => {
        change(current as TestObject);
        return current;
      });
  const deployment = () => get(hub().registry, deployments, namespace(), 'web');
  const livePods = async () =>
    (await list(hub().registry, pods, namespace())).filter((p) => !p.metadata.deletionTimestamp);
  const replicaSetList = () => list(hub().registry, replicaSets, namespace());
  /** Asserts the rollout finished with `replicas` updated, available replicas; returns the Deployment. */
  const rolledOut = async (replicas: number) => {
    const d = await deployment();
    assert.equal(d.status?.observedGeneration, d.metadata.generation);
    assert.equal(d.status?.updatedReplicas, replicas);
    assert.equal(d.status?.replicas, replicas);
    assert.equal(d.status?.availableReplicas, replicas);
    const progressing = d.status.conditions.find((c: any) => c.type === 'Progressing');
    assert.equal(progressing?.reason, 'NewReplicaSetAvailable');
    return d;
  };
  return { create, edit, deployment, livePods, replicaSetList, rolledOut };
}
