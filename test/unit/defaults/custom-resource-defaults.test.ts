import assert from 'node:assert/strict';
import { applySchemaDefaults } from '../../../api/defaults/custom-resource-defaults.js';
import type { JsonSchemaProps } from '../../../api/validation/custom-resource.js';

function defaulted(schema: JsonSchemaProps, value: unknown): unknown {
  applySchemaDefaults(schema, value);
  return value;
}

const specSchema = (properties: Record<string, JsonSchemaProps>): JsonSchemaProps => ({
  type: 'object',
  properties: { spec: { type: 'object', properties } },
});

describe('applySchemaDefaults', () => {
  it('sets absent fields that have a default and keeps the ones that are set', () => {
    const schema = specSchema({
      replicas: { type: 'integer', default: 1 },
      policy: { type: 'string', default: 'Allow' },
      suspend: { type: 'boolean', default: false },
    });
    assert.deepEqual(defaulted(schema, { spec: { policy: 'Forbid' } }), {
      spec: { policy: 'Forbid', replicas: 1, suspend: false },
    });
  });

  it('replaces null unless the field is nullable', () => {
    const schema = specSchema({
      image: { type: 'string', default: 'busybox' },
      note: { type: 'string', nullable: true, default: 'none' },
    });
    assert.deepEqual(defaulted(schema, { spec: { image: null, note: null } }), {
      spec: { image: 'busybox', note: null },
    });
  });

  it('drops a null field the schema does not declare nullable, as if it were absent', () => {
    const schema = specSchema({ image: { type: 'string' }, note: { type: 'string', nullable: true } });
    assert.deepEqual(defaulted(schema, { spec: { image: null, note: null } }), { spec: { note: null } });
  });

  it('applies the defaults nested inside a defaulted object', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          default: {},
          properties: {
            strategy: {
              type: 'object',
              default: { type: 'Rolling' },
              properties: { type: { type: 'string' }, maxSurge: { type: 'integer', default: 1 } },
            },
          },
        },
      },
    };
    assert.deepEqual(defaulted(schema, {}), { spec: { strategy: { type: 'Rolling', maxSurge: 1 } } });
  });

  it('defaults inside array items and map values', () => {
    const schema = specSchema({
      ports: {
        type: 'array',
        items: { type: 'object', properties: { protocol: { type: 'string', default: 'TCP' } } },
      },
      limits: {
        type: 'object',
        additionalProperties: { type: 'object', properties: { unit: { type: 'string', default: 'Mi' } } },
      },
    });
    const value = { spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }], limits: { memory: {} } } };
    assert.deepEqual(defaulted(schema, value), {
      spec: {
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
        limits: { memory: { unit: 'Mi' } },
      },
    });
  });

  it('gives every object its own copy of a default', () => {
    const schema = specSchema({ tags: { type: 'array', items: { type: 'string' }, default: ['a'] } });
    const first = defaulted(schema, { spec: {} }) as { spec: { tags: string[] } };
    const second = defaulted(schema, { spec: {} }) as { spec: { tags: string[] } };
    first.spec.tags.push('b');
    assert.deepEqual(second.spec.tags, ['a']);
    assert.deepEqual((schema.properties as any).spec.properties.tags.default, ['a']);
  });

  it('defaults nothing under x-kubernetes-preserve-unknown-fields without properties', () => {
    const schema = specSchema({
      config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, default: { mode: 'auto' } },
    });
    assert.deepEqual(defaulted(schema, { spec: { config: { nested: { replicas: null } } } }), {
      spec: { config: { nested: { replicas: null } } },
    });
  });

  it('leaves the root metadata alone', () => {
    const schema = {
      type: 'object',
      properties: {
        metadata: {
          type: 'object',
          default: { labels: {} },
          properties: { labels: { default: { a: 'b' } } },
        },
      },
    };
    assert.deepEqual(defaulted(schema, { metadata: { name: 'x' } }), { metadata: { name: 'x' } });
    assert.deepEqual(defaulted(schema, {}), {});
  });

  it('sets a field named __proto__ as a field, never as the prototype', () => {
    const schema = specSchema({ ['__proto__']: { type: 'object', default: { polluted: true } } });
    const value = { spec: {} } as { spec: Record<string, unknown> };
    applySchemaDefaults(schema, value);
    assert.equal(Object.getPrototypeOf(value.spec), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(value.spec, '__proto__')?.value, { polluted: true });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('ignores values of the wrong shape', () => {
    const schema = specSchema({ replicas: { type: 'integer', default: 1 } });
    assert.deepEqual(defaulted(schema, { spec: 'text' }), { spec: 'text' });
    assert.equal(defaulted(schema, null), null);
  });
});
