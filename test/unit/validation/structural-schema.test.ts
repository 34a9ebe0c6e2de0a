import assert from 'node:assert/strict';
import type { JsonSchemaProps } from '../../../api/validation/custom-resource.js';
import { validateStructuralSchema } from '../../../api/validation/structural-schema.js';
import { cronTabSchema } from './cron-tab-schema.js';

const root = 'spec.versions[0].schema.openAPIV3Schema';

function errorsOf(schema: unknown): string[] {
  return validateStructuralSchema(schema, root).map(
    (e) => `${e.field.replace(root, '<root>')}: ${e.message}`,
  );
}

/** A root schema whose spec has the one given property. */
function withProperty(name: string, property: JsonSchemaProps): JsonSchemaProps {
  return { type: 'object', properties: { spec: { type: 'object', properties: { [name]: property } } } };
}

describe('validateStructuralSchema', () => {
  it('accepts a structural CronTab schema', () => {
    assert.deepEqual(errorsOf(cronTabSchema()), []);
  });

  it('needs an object schema of type object at the root', () => {
    assert.deepEqual(errorsOf({}), ['<root>.type: Required value: must not be empty at the root']);
    assert.deepEqual(errorsOf({ type: 'string' }), [
      '<root>.type: Invalid value: "string": must be object at the root',
    ]);
    assert.deepEqual(errorsOf({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }), []);
    assert.deepEqual(errorsOf('object'), [
      `<root>: Invalid value: "string": ${root} in body must be of type object: "string"`,
    ]);
  });

  it('needs a type on every field and array item, named in kube path style', () => {
    const schema = withProperty('ports', { type: 'array', items: { properties: { name: {} } } });
    const fields = validateStructuralSchema(schema, root).map((e) => [e.field, e.message]);
    assert.deepEqual(fields, [
      [
        `${root}.properties[spec].properties[ports].items.type`,
        'Required value: must not be empty for specified array items',
      ],
      [
        `${root}.properties[spec].properties[ports].items.properties[name].type`,
        'Required value: must not be empty for specified object fields',
      ],
    ]);
  });

  it('lets int-or-string and preserve-unknown-fields nodes go without a type', () => {
    assert.deepEqual(errorsOf(withProperty('port', { 'x-kubernetes-int-or-string': true })), []);
    assert.deepEqual(errorsOf(withProperty('config', { 'x-kubernetes-preserve-unknown-fields': true })), []);
  });

  it('knows only the six OpenAPI types', () => {
    assert.deepEqual(errorsOf(withProperty('size', { type: 'float' })), [
      '<root>.properties[spec].properties[size].type: Unsupported value: "float": supported values: "object", "array", "string", "integer", "number", "boolean"',
    ]);
  });

  it('forbids a type next to x-kubernetes-int-or-string', () => {
    assert.deepEqual(errorsOf(withProperty('port', { type: 'string', 'x-kubernetes-int-or-string': true })), [
      '<root>.properties[spec].properties[port].type: Forbidden: must be empty if x-kubernetes-int-or-string is true',
    ]);
  });

  it('needs type object for an embedded resource', () => {
    assert.deepEqual(errorsOf(withProperty('template', { 'x-kubernetes-embedded-resource': true })), [
      '<root>.properties[spec].properties[template].type: Required value: must be object if x-kubernetes-embedded-resource is true',
    ]);
  });

  it('does not allow properties and additionalProperties together', () => {
    const schema = withProperty('labels', {
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: { type: 'string' },
    });
    assert.deepEqual(errorsOf(schema), [
      '<root>.properties[spec].properties[labels].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive',
    ]);
  });

  it('needs items on an array, as one schema', () => {
    assert.deepEqual(errorsOf(withProperty('tags', { type: 'array' })), [
      '<root>.properties[spec].properties[tags].items: Required value: must be specified',
    ]);
    assert.deepEqual(errorsOf(withProperty('tags', { type: 'array', items: [{ type: 'string' }] })), [
      '<root>.properties[spec].properties[tags].items: Forbidden: items must be a schema object and not an array',
    ]);
  });

  it('forbids $ref', () => {
    assert.deepEqual(errorsOf(withProperty('spec2', { type: 'object', $ref: '#/definitions/Spec' })), [
      '<root>.properties[spec].properties[spec2].$ref: Forbidden: must not be set',
    ]);
  });

  it('needs a pattern that compiles', () => {
    assert.deepEqual(errorsOf(withProperty('name', { type: 'string', pattern: '([a-z]' })), [
      '<root>.properties[spec].properties[name].pattern: Invalid value: "([a-z]": must be a valid regular expression, but isn\'t: Invalid regular expression: /([a-z]/: Unterminated group',
    ]);
  });

  it('needs a default that its own schema accepts', () => {
    assert.deepEqual(errorsOf(withProperty('replicas', { type: 'integer', minimum: 1, default: 0 })), [
      `<root>.properties[spec].properties[replicas].default: Invalid value: 0: ${root}.properties[spec].properties[replicas].default in body should be greater than or equal to 1`,
    ]);
  });

  it('forbids structural keywords inside allOf, anyOf, oneOf and not', () => {
    const schema = withProperty('size', {
      type: 'integer',
      anyOf: [{ minimum: 1 }, { type: 'string' }],
      not: { default: 3, 'x-kubernetes-int-or-string': true },
    });
    assert.deepEqual(errorsOf(schema), [
      '<root>.properties[spec].properties[size].anyOf[1].type: Forbidden: must be empty to be structural',
      '<root>.properties[spec].properties[size].not.default: Forbidden: must be empty to be structural',
      '<root>.properties[spec].properties[size].not.x-kubernetes-int-or-string: Forbidden: must be false to be structural',
    ]);
  });

  describe('x-kubernetes-list-type', () => {
    const items = {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, port: { type: 'integer' } },
    };

    it('is atomic, set or map, on arrays', () => {
      assert.deepEqual(
        errorsOf(withProperty('xs', { type: 'array', items, 'x-kubernetes-list-type': 'bag' })),
        [
          '<root>.properties[spec].properties[xs].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"',
        ],
      );
      assert.deepEqual(errorsOf(withProperty('xs', { type: 'string', 'x-kubernetes-list-type': 'set' })), [
        '<root>.properties[spec].properties[xs].x-kubernetes-list-type: Invalid value: "set": must only be used if type is array',
      ]);
    });

    it('names map keys only for a map', () => {
      const schema = {
        type: 'array',
        items,
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-list-map-keys': ['name'],
      };
      assert.deepEqual(errorsOf(withProperty('xs', schema)), [
        '<root>.properties[spec].properties[xs].x-kubernetes-list-map-keys: Forbidden: must be empty if x-kubernetes-list-type is not map',
      ]);
    });

    it('needs map keys that are required properties of the items', () => {
      const at = '<root>.properties[spec].properties[ports]';
      assert.deepEqual(
        errorsOf(withProperty('ports', { type: 'array', items, 'x-kubernetes-list-type': 'map' })),
        [
          `${at}.x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
        ],
      );
      const keys = ['name', 'port', 'protocol'];
      const schema = {
        type: 'array',
        items,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': keys,
      };
      assert.deepEqual(errorsOf(withProperty('ports', schema)), [
        `${at}.x-kubernetes-list-map-keys[1]: Invalid value: "port": must be a required property of the items or have a default`,
        `${at}.x-kubernetes-list-map-keys[2]: Invalid value: "protocol": must be the name of a property of the items`,
      ]);
    });
  });

  it('stops at 64 levels of nesting with one error', () => {
    let schema: JsonSchemaProps = { type: 'string' };
    for (let i = 0; i < 100; i++) schema = { type: 'object', properties: { a: schema } };
    const errors = validateStructuralSchema(schema, root);
    assert.deepEqual(
      errors.map((e) => [e.field, e.message]),
      [[`${root}${'.properties[a]'.repeat(65)}`, 'Forbidden: must not nest more than 64 levels']],
    );
  });
});
