import assert from 'node:assert/strict';
import { patchStrategiesFor, strategyAt } from '../../../../hub/apiserver/patch/patch-strategies.js';

describe('patch strategies', () => {
  it('merges the pod template lists of every workload by their Kubernetes merge keys', () => {
    const prefixes: Record<string, string> = {
      Pod: 'spec',
      Deployment: 'spec.template.spec',
      ReplicaSet: 'spec.template.spec',
      DaemonSet: 'spec.template.spec',
      Job: 'spec.template.spec',
      CronJob: 'spec.jobTemplate.spec.template.spec',
    };
    for (const [kind, prefix] of Object.entries(prefixes)) {
      const table = patchStrategiesFor(kind);
      const keyOf = (path: string) => strategyAt(table, `${prefix}.${path}`)?.mergeKey;
      assert.equal(keyOf('containers'), 'name', kind);
      assert.equal(keyOf('initContainers'), 'name', kind);
      assert.equal(keyOf('ephemeralContainers'), 'name', kind);
      assert.equal(keyOf('containers.ports'), 'containerPort', kind);
      assert.equal(keyOf('containers.env'), 'name', kind);
      assert.equal(keyOf('initContainers.volumeMounts'), 'mountPath', kind);
      assert.equal(keyOf('containers.volumeDevices'), 'devicePath', kind);
      assert.equal(keyOf('volumes'), 'name', kind);
      assert.equal(keyOf('imagePullSecrets'), 'name', kind);
      assert.equal(keyOf('hostAliases'), 'ip', kind);
      assert.equal(strategyAt(table, `${prefix}.tolerations`), undefined, `${kind} tolerations are atomic`);
    }
  });

  it('merges ObjectMeta lists of every built-in kind', () => {
    for (const kind of [
      'Namespace',
      'Node',
      'ConfigMap',
      'Secret',
      'Event',
      'Lease',
      'EndpointSlice',
      'Endpoints',
    ]) {
      const table = patchStrategiesFor(kind);
      assert.deepEqual(strategyAt(table, 'metadata.finalizers'), { merge: true }, kind);
      assert.equal(strategyAt(table, 'metadata.ownerReferences')?.mergeKey, 'uid', kind);
    }
  });

  it('merges status conditions, service ports and node addresses by their keys', () => {
    assert.equal(strategyAt(patchStrategiesFor('Pod'), 'status.conditions')?.mergeKey, 'type');
    assert.equal(strategyAt(patchStrategiesFor('Deployment'), 'status.conditions')?.mergeKey, 'type');
    assert.equal(strategyAt(patchStrategiesFor('Service'), 'spec.ports')?.mergeKey, 'port');
    assert.equal(strategyAt(patchStrategiesFor('Node'), 'status.addresses')?.mergeKey, 'type');
    assert.equal(strategyAt(patchStrategiesFor('Node'), 'status.conditions')?.mergeKey, 'type');
  });

  it('leaves Endpoints subsets and EndpointSlice endpoints atomic', () => {
    assert.equal(strategyAt(patchStrategiesFor('Endpoints'), 'subsets'), undefined);
    assert.equal(strategyAt(patchStrategiesFor('EndpointSlice'), 'endpoints'), undefined);
  });

  it('reads the strategies from the schema, down to embedded ObjectMeta and retainKeys', () => {
    const pod = patchStrategiesFor('Pod');
    const claim = 'spec.volumes.ephemeral.volumeClaimTemplate.metadata';
    assert.deepEqual(strategyAt(pod, `${claim}.finalizers`), { merge: true });
    assert.equal(strategyAt(pod, `${claim}.ownerReferences`)?.mergeKey, 'uid');
    assert.deepEqual(strategyAt(pod, 'spec.volumes'), { merge: true, mergeKey: 'name', retainKeys: true });
    assert.deepEqual(strategyAt(patchStrategiesFor('Deployment'), 'spec.strategy'), {
      merge: false,
      retainKeys: true,
    });
  });

  it('has no table for kinds it does not know', () => {
    assert.equal(patchStrategiesFor('Widget'), undefined);
    assert.equal(strategyAt(undefined, 'metadata.finalizers'), undefined);
  });
});
