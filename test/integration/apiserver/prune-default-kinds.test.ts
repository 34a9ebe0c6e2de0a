// The kinds kubectl's apply --prune names by default, over HTTP on an in-process hub:
// discovery lists them, bad bodies are 422 Status errors naming the field, unknown fields are
// refused under Strict, and deleting a namespace empties them too.
import assert from 'node:assert/strict';
import {
  anIngress,
  aPersistentVolume,
  aPersistentVolumeClaim,
  aReplicationController,
  aStatefulSet,
  type TestObject,
} from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const inNamespace = (obj: TestObject, namespace: string) => ({
  ...obj,
  metadata: { ...obj.metadata, namespace },
});

describe('API server: StatefulSets, ReplicationControllers, volumes, claims and Ingresses', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
  });
  after(async () => {
    await t.close();
  });

  it('lists them in discovery with their short names, scale and status subresources', async () => {
    const core = (await t.api.get('/api/v1')).json().resources;
    const find = (list: any[], name: string) => list.find((r: any) => r.name === name);
    assert.deepEqual(find(core, 'persistentvolumes').shortNames, ['pv']);
    assert.equal(find(core, 'persistentvolumes').namespaced, false);
    assert.deepEqual(find(core, 'persistentvolumeclaims').shortNames, ['pvc']);
    assert.deepEqual(find(core, 'replicationcontrollers').shortNames, ['rc']);
    assert.ok(find(core, 'replicationcontrollers/scale'));
    const apps = (await t.api.get('/apis/apps/v1')).json().resources;
    assert.deepEqual(find(apps, 'statefulsets').shortNames, ['sts']);
    assert.ok(find(apps, 'statefulsets/scale'));
    assert.ok(find(apps, 'statefulsets/status'));
    const networking = (await t.api.get('/apis/networking.k8s.io/v1')).json().resources;
    assert.deepEqual(find(networking, 'ingresses').shortNames, ['ing']);
  });

  it('refuses a claim without a storage request with a 422 naming the field', async () => {
    const claim = aPersistentVolumeClaim('bad');
    delete claim.spec.resources;
    const res = await t.api.post('/api/v1/namespaces/default/persistentvolumeclaims', claim);
    assert.equal(res.status, 422);
    const status = res.json();
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'Invalid');
    assert.equal(
      status.message,
      'PersistentVolumeClaim "bad" is invalid: spec.resources[storage]: Required value',
    );
    assert.deepEqual(status.details.causes, [
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.resources[storage]' },
    ]);
  });

  it('refuses an unknown StatefulSet field under Strict field validation', async () => {
    const set = aStatefulSet('typo');
    set.spec.replica = 3;
    const res = await t.api.post('/apis/apps/v1/namespaces/default/statefulsets?fieldValidation=Strict', set);
    assert.equal(res.status, 400);
    assert.match(res.json().message, /unknown field "spec\.replica"/);
  });

  it('stores a PersistentVolume cluster-wide, with its status cleared on create', async () => {
    const pv = aPersistentVolume('api-disk');
    pv.status = { phase: 'Bound' };
    const res = await t.api.post('/api/v1/persistentvolumes', pv);
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json().status, { phase: 'Pending' });
    assert.equal(res.json().metadata.namespace, undefined);
  });

  it('empties a deleted namespace of its StatefulSets, ReplicationControllers, claims and Ingresses', async () => {
    const ns = 'doomed-kinds';
    await t.api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const created = await Promise.all([
      t.api.post(`/apis/apps/v1/namespaces/${ns}/statefulsets`, inNamespace(aStatefulSet(), ns)),
      t.api.post(
        `/api/v1/namespaces/${ns}/replicationcontrollers`,
        inNamespace(aReplicationController(), ns),
      ),
      t.api.post(
        `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
        inNamespace(aPersistentVolumeClaim(), ns),
      ),
      t.api.post(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`, inNamespace(anIngress(), ns)),
    ]);
    assert.deepEqual(
      created.map((r) => r.status),
      [201, 201, 201, 201],
    );
    await t.api.delete(`/api/v1/namespaces/${ns}`);
    await eventually(async () => (await t.api.get(`/api/v1/namespaces/${ns}`)).status === 404);
    for (const path of [
      `/apis/apps/v1/namespaces/${ns}/statefulsets`,
      `/api/v1/namespaces/${ns}/replicationcontrollers`,
      `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
      `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`,
    ]) {
      assert.deepEqual((await t.api.get(path)).json().items, [], path);
    }
  });

  it('keeps the generation when a write leaves out only what defaulting fills in', async () => {
    const set = aStatefulSet('same');
    const path = '/apis/apps/v1/namespaces/default/statefulsets/same';
    assert.equal((await t.api.post('/apis/apps/v1/namespaces/default/statefulsets', set)).status, 201);
    // What kubectl apply sends for an atomic list: the manifest's claim templates, without the
    // volumeMode and status the server defaulted.
    const patched = await t.api.patch(
      path,
      { spec: { volumeClaimTemplates: set.spec.volumeClaimTemplates } },
      'application/strategic-merge-patch+json',
    );
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json().metadata.generation, 1);
    const replaced = await t.api.put(path, { ...set, metadata: { ...set.metadata, name: 'same' } });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.json().metadata.generation, 1);
    const scaled = await t.api.patch(path, { spec: { replicas: 4 } }, 'application/merge-patch+json');
    assert.equal(scaled.json().metadata.generation, 2);
  });
});
