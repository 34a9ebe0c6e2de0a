import assert from 'node:assert/strict';
import { apiSchemaName, coreName } from '../../../hub/apiserver/openapi/schema-builders.js';
import { componentSchemas } from '../../../hub/apiserver/openapi/schema-registry.js';
import { checkSchemaTypes } from '../../../hub/apiserver/openapi/schema-type-check.js';
import { servedResources as resources } from '../../../hub/kinds/builtin-kinds.js';

const podSchema = coreName('Pod');
const deploymentSchema = apiSchemaName('apps', 'v1', 'Deployment');

const fields = (errors: Array<{ field: string }>) => errors.map((e) => e.field);

describe('checkSchemaTypes', () => {
  it('names a null list element in the form kube-apiserver reports schema type errors', () => {
    assert.deepEqual(checkSchemaTypes(podSchema, { spec: { containers: [null] } }), [
      {
        field: 'spec.containers[0]',
        type: 'FieldValueTypeInvalid',
        message: 'Invalid value: "null": spec.containers[0] in body must be of type object: "null"',
      },
    ]);
  });

  it('reports every wrong type in one pass, not only the first', () => {
    const pod = {
      spec: {
        containers: [
          { name: 'a', command: 'sh', args: [1, true], env: [{ name: 'X', value: { a: 1 } }], ports: [null] },
        ],
      },
    };
    assert.deepEqual(fields(checkSchemaTypes(podSchema, pod)), [
      'spec.containers[0].command',
      'spec.containers[0].args[0]',
      'spec.containers[0].args[1]',
      'spec.containers[0].env[0].value',
      'spec.containers[0].ports[0]',
    ]);
  });

  it('bounds int32 fields to their range and refuses fractions in integer fields', () => {
    const errors = checkSchemaTypes(deploymentSchema, {
      spec: { replicas: 2 ** 31, minReadySeconds: -(2 ** 31) - 1, revisionHistoryLimit: 1.5 },
    });
    assert.deepEqual(
      errors.map((e) => [e.field, e.message]),
      [
        [
          'spec.replicas',
          'Invalid value: 2147483648: spec.replicas in body should be less than or equal to 2147483647',
        ],
        [
          'spec.minReadySeconds',
          'Invalid value: -2147483649: spec.minReadySeconds in body should be greater than or equal to -2147483648',
        ],
        [
          'spec.revisionHistoryLimit',
          'Invalid value: "number": spec.revisionHistoryLimit in body must be of type integer: "number"',
        ],
      ],
    );
    assert.deepEqual(checkSchemaTypes(deploymentSchema, { spec: { replicas: 2 ** 31 - 1 } }), []);
  });

  it('refuses int64 values the hub could not store exactly', () => {
    const errors = checkSchemaTypes(podSchema, { spec: { activeDeadlineSeconds: 2 ** 53 } });
    assert.deepEqual(fields(errors), ['spec.activeDeadlineSeconds']);
    assert.deepEqual(checkSchemaTypes(podSchema, { spec: { activeDeadlineSeconds: 2 ** 53 - 1 } }), []);
  });

  it('treats a null field as absent but a null map value as a type error', () => {
    assert.deepEqual(checkSchemaTypes(podSchema, { metadata: { creationTimestamp: null }, spec: null }), []);
    assert.deepEqual(fields(checkSchemaTypes(podSchema, { metadata: { labels: { app: null } } })), [
      'metadata.labels[app]',
    ]);
  });

  it('accepts quantities as strings or numbers and int-or-string as either', () => {
    const container = {
      name: 'a',
      resources: { limits: { cpu: 2, memory: '1Gi' } },
      livenessProbe: { httpGet: { port: 'http' } },
      readinessProbe: { tcpSocket: { port: 8080 } },
    };
    assert.deepEqual(checkSchemaTypes(podSchema, { spec: { containers: [container] } }), []);
    const bad = {
      ...container,
      resources: { limits: { cpu: true } },
      livenessProbe: { httpGet: { port: [] } },
    };
    assert.deepEqual(fields(checkSchemaTypes(podSchema, { spec: { containers: [bad] } })), [
      'spec.containers[0].resources.limits[cpu]',
      'spec.containers[0].livenessProbe.httpGet.port',
    ]);
  });

  it('leaves unknown fields alone', () => {
    assert.deepEqual(checkSchemaTypes(podSchema, { spec: { futureField: [null], containers: [] } }), []);
  });

  it('does not re-check a subtree the stored object already had (ratcheting)', () => {
    const old = { spec: { containers: [null] }, status: { phase: 'Pending' } };
    const next = { spec: { containers: [null] }, status: { phase: 1 } };
    assert.deepEqual(fields(checkSchemaTypes(podSchema, next, old)), ['status.phase']);
  });

  it('has a schema for every kind the hub serves', () => {
    for (const info of resources) {
      const name = apiSchemaName(info.group, info.version, info.kind);
      assert.ok(componentSchemas.has(name), `no OpenAPI schema ${name}`);
      assert.deepEqual(checkSchemaTypes(name, { metadata: { name: 'x' } }), [], info.kind);
      assert.deepEqual(
        fields(checkSchemaTypes(name, { metadata: { name: 7 } })),
        ['metadata.name'],
        info.kind,
      );
    }
  });
});
