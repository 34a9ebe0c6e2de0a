import assert from 'node:assert/strict';
import {
  dropFields,
  fieldPathText,
  unknownFieldPaths,
} from '../../../hub/apiserver/openapi/unknown-fields.js';

const pod = 'io.k8s.api.core.v1.Pod';

describe('fields a kind does not have', () => {
  it('finds them at any depth and names them as kube-apiserver does', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labelz: {} },
      spec: {
        containers: [
          { name: 'a', image: 'i' },
          { name: 'b', image: 'i', comand: ['sh'], ports: [{ containerPortZ: 1 }] },
        ],
        volumes: [{ name: 'v', emptyDir: { medum: 'Memory' } }],
      },
      extra: 1,
    };
    assert.deepEqual(unknownFieldPaths(pod, obj).map(fieldPathText), [
      'metadata.labelz',
      'spec.containers[1].comand',
      'spec.containers[1].ports[0].containerPortZ',
      'spec.volumes[0].emptyDir.medum',
      'extra',
    ]);
  });

  it('leaves free-form parts alone: maps, preserved-unknown schemas, FieldsV1, null fields', () => {
    const obj = {
      metadata: {
        labels: { any: 'x' },
        managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:anything': {} } } }],
      },
      spec: {
        nodeSelector: { 'a/b': 'c' },
        containers: [{ name: 'a', resources: { limits: { 'vendor.example/gpu': '1' } } }],
        volumes: [{ name: 'v', awsElasticBlockStore: { volumeID: 'x', whatever: true } }],
        affinity: null,
      },
    };
    assert.deepEqual(unknownFieldPaths(pod, obj), []);
  });

  it('drops exactly the fields found', () => {
    const obj = {
      spec: { containers: [{ name: 'a', comand: ['x'] }], restartPolicee: 'Never' },
      kind: 'Pod',
    };
    dropFields(obj, unknownFieldPaths(pod, obj));
    assert.deepEqual(obj, { spec: { containers: [{ name: 'a' }] }, kind: 'Pod' });
  });
});
