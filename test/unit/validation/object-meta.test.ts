import assert from 'node:assert/strict';
import { validateCreate, validateUpdate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import { aConfigMap, aNamespace, aNode, aPod, aService, summarize } from '../../helpers/builders.js';

const subdomainRule =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelRule =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('object metadata validation', () => {
  it('accepts a well-formed object', () => {
    assert.deepEqual(validateCreate(validationOf('ConfigMap'), aConfigMap()), []);
  });

  it('rejects a name that is not a DNS subdomain with kube’s message', () => {
    const pod = aPod('My_Pod');
    assert.deepEqual(summarize(validateCreate(validationOf('Pod'), pod)), [
      `metadata.name: Invalid value: "My_Pod": ${subdomainRule}`,
    ]);
  });

  it('accepts dotted names for subdomain kinds such as Node', () => {
    assert.deepEqual(validateCreate(validationOf('Node'), aNode('gw-1.site-a.example.com')), []);
  });

  it('requires a name or generateName', () => {
    const cm = aConfigMap();
    delete cm.metadata.name;
    assert.deepEqual(summarize(validateCreate(validationOf('ConfigMap'), cm)), [
      'metadata.name: Required value: name or generateName is required',
    ]);
    cm.metadata.generateName = 'settings-';
    assert.deepEqual(validateCreate(validationOf('ConfigMap'), cm), []);
  });

  it('validates generateName as a prefix that may end in a dash', () => {
    const cm = aConfigMap();
    cm.metadata.generateName = 'Bad_';
    assert.equal(validateCreate(validationOf('ConfigMap'), cm)[0]?.field, 'metadata.generateName');
  });

  it('requires namespace names to be DNS labels', () => {
    assert.deepEqual(summarize(validateCreate(validationOf('Namespace'), aNamespace('team.a'))), [
      `metadata.name: Invalid value: "team.a": ${labelRule}`,
    ]);
  });

  it('requires Service names to start with a letter (DNS-1035 label)', () => {
    const [error] = validateCreate(validationOf('Service'), aService('1web'));
    assert.equal(error?.field, 'metadata.name');
    assert.match(error?.message ?? '', /^Invalid value: "1web": a DNS-1035 label must consist of/);
  });

  it('requires a namespace on namespaced kinds and forbids it on cluster-scoped ones', () => {
    const cm = aConfigMap();
    delete cm.metadata.namespace;
    assert.deepEqual(summarize(validateCreate(validationOf('ConfigMap'), cm)), [
      'metadata.namespace: Required value',
    ]);
    const node = aNode();
    node.metadata.namespace = 'default';
    assert.deepEqual(summarize(validateCreate(validationOf('Node'), node)), [
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  it('checks label keys and values', () => {
    const cm = aConfigMap();
    cm.metadata.labels = { 'app/x/y': 'ok', tier: 'back end' };
    const errors = summarize(validateCreate(validationOf('ConfigMap'), cm));
    assert.equal(errors.length, 2);
    assert.match(
      errors[0] ?? '',
      /^metadata\.labels: Invalid value: "app\/x\/y": a qualified name must consist of/,
    );
    assert.match(
      errors[1] ?? '',
      /^metadata\.labels: Invalid value: "back end": a valid label must be an empty string/,
    );
  });

  it('rejects a label value longer than 63 characters', () => {
    const cm = aConfigMap();
    cm.metadata.labels = { app: 'a'.repeat(64) };
    assert.deepEqual(summarize(validateCreate(validationOf('ConfigMap'), cm)), [
      `metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`,
    ]);
  });

  it('limits annotations to 256 KiB in total', () => {
    const cm = aConfigMap();
    cm.metadata.annotations = { big: 'x'.repeat(256 * 1024) };
    assert.deepEqual(summarize(validateCreate(validationOf('ConfigMap'), cm)), [
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });

  it('requires owner reference fields', () => {
    const cm = aConfigMap();
    cm.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: '' }];
    assert.deepEqual(summarize(validateCreate(validationOf('ConfigMap'), cm)), [
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
  });

  it('allows only one controller owner', () => {
    const cm = aConfigMap();
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', uid: 'u', controller: true };
    cm.metadata.ownerReferences = [
      { ...owner, name: 'a' },
      { ...owner, name: 'b' },
    ];
    const [error] = validateCreate(validationOf('ConfigMap'), cm);
    assert.equal(error?.field, 'metadata.ownerReferences');
    assert.match(
      error?.message ?? '',
      /Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/,
    );
  });

  it('requires finalizers to be qualified names', () => {
    const cm = aConfigMap();
    cm.metadata.finalizers = ['example.com/cleanup', 'bad finalizer'];
    const errors = validateCreate(validationOf('ConfigMap'), cm);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.field, 'metadata.finalizers');
  });

  it('reports a field of the wrong JSON type instead of crashing', () => {
    const cm = aConfigMap();
    (cm.metadata as Record<string, unknown>).labels = 'app=web';
    assert.deepEqual(summarize(validateCreate(validationOf('ConfigMap'), cm)), [
      'metadata.labels: Invalid value: "app=web": must be an object',
    ]);
  });

  describe('on update', () => {
    it('keeps name, namespace, uid and creationTimestamp immutable', () => {
      const old = aConfigMap();
      old.metadata.uid = 'uid-1';
      old.metadata.creationTimestamp = '2025-01-01T00:00:00Z';
      const next = structuredClone(old);
      next.metadata.uid = 'uid-2';
      next.metadata.creationTimestamp = '2025-02-01T00:00:00Z';
      next.metadata.namespace = 'other';
      assert.deepEqual(summarize(validateUpdate(validationOf('ConfigMap'), next, old)), [
        'metadata.namespace: Invalid value: "other": field is immutable',
        'metadata.uid: Invalid value: "uid-2": field is immutable',
        'metadata.creationTimestamp: Invalid value: "2025-02-01T00:00:00Z": field is immutable',
      ]);
    });

    it('treats an omitted uid as unchanged, as the server carries it over', () => {
      const old = aConfigMap();
      old.metadata.uid = 'uid-1';
      assert.deepEqual(validateUpdate(validationOf('ConfigMap'), aConfigMap(), old), []);
    });

    it('refuses new finalizers on an object being deleted', () => {
      const old = aConfigMap();
      old.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
      const next = structuredClone(old);
      next.metadata.finalizers = ['example.com/late'];
      assert.deepEqual(summarize(validateUpdate(validationOf('ConfigMap'), next, old)), [
        'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ["example.com/late"]',
      ]);
    });
  });
});
