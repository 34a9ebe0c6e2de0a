import assert from 'node:assert/strict';
import { type JsonSchemaProps, validateAgainstSchema } from '../../../api/validation/custom-resource.js';
import { cronTabSchema } from './cron-tab-schema.js';

function aCronTab(): Record<string, any> {
  return {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'nightly', namespace: 'default' },
    spec: {
      cronSpec: '*/5 * * * *',
      image: 'registry.local/cron:1.0',
      replicas: 2,
      policy: 'Allow',
      note: null,
      startedAt: '2024-05-01T10:00:00Z',
      ports: [
        { name: 'http', port: 80 },
        { name: 'admin', port: 'admin-port' },
      ],
      tags: ['nightly', 'batch'],
      labels: { tier: 'backend' },
      config: { anything: { nested: [1, 'two', { three: true }] } },
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [] } },
    },
    status: { ready: true },
  };
}

function errorsOf(change: (crontab: Record<string, any>) => void): string[] {
  const crontab = aCronTab();
  change(crontab);
  return validateAgainstSchema(cronTabSchema(), crontab, '').map((e) => `${e.field}: ${e.message}`);
}

describe('validateAgainstSchema', () => {
  it('accepts a valid CronTab', () => {
    assert.deepEqual(
      errorsOf(() => {}),
      [],
    );
  });

  it('reports a wrong type with the JSON type of the value, as kube-apiserver does', () => {
    const errors = validateAgainstSchema(
      cronTabSchema(),
      { spec: { cronSpec: '* * * * *', image: 'x', replicas: '3' } },
      '',
    );
    assert.deepEqual(errors, [
      {
        field: 'spec.replicas',
        type: 'FieldValueTypeInvalid',
        message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      },
    ]);
  });

  it('refuses a fraction where an integer is declared', () => {
    assert.deepEqual(
      errorsOf((c) => {
        c.spec.replicas = 1.5;
      }),
      ['spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"'],
    );
  });

  it('allows null only in nullable fields', () => {
    assert.deepEqual(
      errorsOf((c) => {
        c.spec.replicas = null;
        c.status.ready = null;
      }),
      [
        'spec.replicas: Invalid value: "null": spec.replicas in body must be of type integer: "null"',
        'status.ready: Invalid value: "null": status.ready in body must be of type boolean: "null"',
      ],
    );
  });

  it('requires the required properties', () => {
    assert.deepEqual(
      errorsOf((c) => {
        delete c.spec.image;
        delete c.spec.cronSpec;
      }),
      ['spec.cronSpec: Required value', 'spec.image: Required value'],
    );
  });

  it('leaves metadata, apiVersion and kind at the root to the API server', () => {
    const schema = {
      type: 'object',
      required: ['kind', 'spec'],
      properties: { metadata: { type: 'string' }, apiVersion: { type: 'integer' }, spec: { type: 'object' } },
    };
    assert.deepEqual(
      validateAgainstSchema(schema, { apiVersion: 'v1', metadata: { name: 'a' }, spec: {} }, ''),
      [],
    );
  });

  it('names map entries path[key] and checks them against additionalProperties', () => {
    assert.deepEqual(
      errorsOf((c) => {
        c.spec.labels = { tier: 1, app: 'web' };
      }),
      [
        'spec.labels[tier]: Invalid value: "integer": spec.labels[tier] in body must be of type string: "integer"',
      ],
    );
  });

  it('forbids properties that additionalProperties false leaves out', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    assert.deepEqual(
      validateAgainstSchema(schema, { a: 'x', b: 1 }, 'spec').map((e) => `${e.field}: ${e.message}`),
      ['spec.b: Forbidden: spec.b in body is a forbidden property'],
    );
  });

  it('lets unknown fields through (pruning is not validation)', () => {
    assert.deepEqual(
      errorsOf((c) => {
        c.spec.unknown = { a: 1 };
      }),
      [],
    );
  });

  it('accepts an integer or a string for x-kubernetes-int-or-string, and nothing else', () => {
    assert.deepEqual(
      errorsOf((c) => {
        c.spec.ports = [
          { name: 'a', port: 8080 },
          { name: 'b', port: 'web' },
          { name: 'c', port: 1.5 },
          { name: 'd', port: true },
        ];
      }),
      [
        'spec.ports: Invalid value: 4: spec.ports in body should have at most 3 items',
        'spec.ports[2].port: Invalid value: "number": spec.ports[2].port in body must be of type integer or string: "number"',
        'spec.ports[3].port: Invalid value: "boolean": spec.ports[3].port in body must be of type integer or string: "boolean"',
      ],
    );
  });

  it('accepts anything under x-kubernetes-preserve-unknown-fields, but still checks its type', () => {
    assert.deepEqual(
      errorsOf((c) => {
        c.spec.config = { a: [null, { b: 'c' }], d: 1.25 };
      }),
      [],
    );
    assert.deepEqual(
      errorsOf((c) => {
        c.spec.config = 'text';
      }),
      ['spec.config: Invalid value: "string": spec.config in body must be of type object: "string"'],
    );
  });

  it('requires apiVersion and kind in an embedded resource, and an object metadata', () => {
    assert.deepEqual(
      errorsOf((c) => {
        c.spec.template = { kind: 7, metadata: 'x' };
      }),
      [
        'spec.template.apiVersion: Required value: must not be empty',
        'spec.template.kind: Invalid value: "integer": spec.template.kind in body must be of type string: "integer"',
        'spec.template.metadata: Invalid value: "string": spec.template.metadata in body must be of type object: "string"',
      ],
    );
  });

  it('reports a repeated item of a list-type set', () => {
    assert.deepEqual(
      errorsOf((c) => {
        c.spec.tags = ['a', 'b', 'a'];
      }),
      ['spec.tags[2]: Duplicate value: "a"'],
    );
  });

  it('reports list-type map items with the same keys, naming the key values', () => {
    assert.deepEqual(
      errorsOf((c) => {
        c.spec.ports = [
          { name: 'http', port: 80 },
          { name: 'http', port: 81 },
        ];
      }),
      ['spec.ports[1]: Duplicate value: {"name":"http"}'],
    );
    const schema = {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['port', 'protocol'],
      items: { type: 'object' },
    };
    const ports = [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
      { protocol: 'UDP', port: 53, name: 'again' },
    ];
    assert.deepEqual(
      validateAgainstSchema(schema, ports, 'spec.ports').map((e) => `${e.field}: ${e.message}`),
      ['spec.ports[2]: Duplicate value: {"port":53,"protocol":"UDP"}'],
    );
  });

  describe('allOf, anyOf, oneOf and not', () => {
    const check = (schema: JsonSchemaProps, value: unknown) =>
      validateAgainstSchema(schema, value, 'spec.size').map((e) => `${e.field}: ${e.message}`);

    it('needs every allOf schema', () => {
      const schema = { type: 'integer', allOf: [{ minimum: 1 }, { maximum: 5 }] };
      assert.deepEqual(check(schema, 3), []);
      assert.deepEqual(check(schema, 9), [
        'spec.size: Invalid value: 9: "spec.size" must validate all the schemas (allOf)',
      ]);
    });

    it('needs at least one anyOf schema', () => {
      const schema = { type: 'string', anyOf: [{ pattern: '^a' }, { pattern: 'z$' }] };
      assert.deepEqual(check(schema, 'abc'), []);
      assert.deepEqual(check(schema, 'xyz'), []);
      assert.deepEqual(check(schema, 'mmm'), [
        'spec.size: Invalid value: "mmm": "spec.size" must validate at least one schema (anyOf)',
      ]);
    });

    it('needs exactly one oneOf schema', () => {
      const schema = { type: 'integer', oneOf: [{ maximum: 5 }, { minimum: 3 }] };
      assert.deepEqual(check(schema, 1), []);
      assert.deepEqual(check(schema, 4), [
        'spec.size: Invalid value: 4: "spec.size" must validate one and only one schema (oneOf). Found 2 valid alternatives',
      ]);
      assert.deepEqual(check({ type: 'integer', oneOf: [{ maximum: 1 }, { maximum: 2 }] }, 7), [
        'spec.size: Invalid value: 7: "spec.size" must validate one and only one schema (oneOf). Found none valid',
      ]);
    });

    it('refuses what the not schema accepts', () => {
      const schema = { type: 'object', not: { required: ['both'] } };
      assert.deepEqual(check(schema, { one: 1 }), []);
      assert.deepEqual(check(schema, { both: 1 }), [
        'spec.size: Invalid value: "object": "spec.size" must not validate the schema (not)',
      ]);
    });
  });

  it('does not evaluate x-kubernetes-validations (CEL) rules', () => {
    const schema = {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'false', message: 'never valid' }],
    };
    assert.deepEqual(validateAgainstSchema(schema, {}, 'spec'), []);
  });

  it('reports at most 100 errors', () => {
    const schema = { type: 'array', items: { type: 'string' } };
    assert.equal(
      validateAgainstSchema(
        schema,
        Array.from({ length: 500 }, (_, i) => i),
        'spec.names',
      ).length,
      100,
    );
  });

  it('never throws, whatever the schema and value', () => {
    const values: unknown[] = [undefined, null, 1n, Symbol('s'), () => 1, Number.NaN, [undefined], { a: 1n }];
    const schemas: JsonSchemaProps[] = [
      {},
      { type: ['string', 'null'] },
      { properties: 5, items: [1], required: 'a', enum: 'x', allOf: 'y', not: 2 },
      { type: 'array', uniqueItems: true, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': 3 },
      { enum: [1n], pattern: 5, format: 7, minimum: 'a', multipleOf: 0 },
    ];
    for (const schema of schemas) {
      for (const value of values) assert.ok(Array.isArray(validateAgainstSchema(schema, value, 'x')));
    }
  });

  it('stops at a nesting depth limit with one error', () => {
    let schema: JsonSchemaProps = { type: 'string' };
    let value: unknown = 'leaf';
    for (let i = 0; i < 2000; i++) {
      schema = { type: 'object', properties: { a: schema } };
      value = { a: value };
    }
    const errors = validateAgainstSchema(schema, value, '');
    assert.deepEqual(
      errors.map((e) => e.message),
      ['Forbidden: nests deeper than 128 levels'],
    );
    assert.equal(errors[0]?.field, `a${'.a'.repeat(128)}`);
  });
});
