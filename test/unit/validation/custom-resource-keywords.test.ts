import assert from 'node:assert/strict';
import { type JsonSchemaProps, validateAgainstSchema } from '../../../api/validation/custom-resource.js';

function errorsOf(schema: JsonSchemaProps, value: unknown): string[] {
  return validateAgainstSchema(schema, value, 'spec.x').map((e) => `${e.field}: ${e.message}`);
}

describe('validateAgainstSchema keywords', () => {
  it('bounds numbers with minimum and maximum', () => {
    const schema = { type: 'integer', minimum: 1, maximum: 10 };
    assert.deepEqual(errorsOf(schema, 1), []);
    assert.deepEqual(errorsOf(schema, 10), []);
    assert.deepEqual(errorsOf(schema, 0), [
      'spec.x: Invalid value: 0: spec.x in body should be greater than or equal to 1',
    ]);
    assert.deepEqual(errorsOf(schema, 11), [
      'spec.x: Invalid value: 11: spec.x in body should be less than or equal to 10',
    ]);
  });

  it('excludes the bounds with boolean exclusiveMinimum and exclusiveMaximum', () => {
    const schema = { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true };
    assert.deepEqual(errorsOf(schema, 0.5), []);
    assert.deepEqual(errorsOf(schema, 0), [
      'spec.x: Invalid value: 0: spec.x in body should be greater than 0',
    ]);
    assert.deepEqual(errorsOf(schema, 1), ['spec.x: Invalid value: 1: spec.x in body should be less than 1']);
  });

  it('checks multipleOf without tripping over binary fractions', () => {
    const schema = { type: 'number', multipleOf: 0.1 };
    assert.deepEqual(errorsOf(schema, 0.3), []);
    assert.deepEqual(errorsOf(schema, 0.35), [
      'spec.x: Invalid value: 0.35: spec.x in body should be a multiple of 0.1',
    ]);
  });

  it('bounds int32 and int64 formats to what they can hold', () => {
    assert.deepEqual(errorsOf({ type: 'integer', format: 'int32' }, 2 ** 31), [
      'spec.x: Invalid value: 2147483648: spec.x in body should be less than or equal to 2147483647',
    ]);
    assert.deepEqual(errorsOf({ type: 'integer', format: 'int32' }, -(2 ** 31)), []);
    assert.deepEqual(errorsOf({ type: 'integer', format: 'int64' }, -(2 ** 60)), [
      'spec.x: Invalid value: -1152921504606847000: spec.x in body should be greater than or equal to -9007199254740991',
    ]);
  });

  it('counts string lengths in code points', () => {
    const schema = { type: 'string', minLength: 3, maxLength: 5 };
    assert.deepEqual(errorsOf(schema, '😀😀😀'), []);
    assert.deepEqual(errorsOf(schema, 'ab'), [
      'spec.x: Invalid value: "ab": spec.x in body should be at least 3 chars long',
    ]);
    assert.deepEqual(errorsOf(schema, 'abcdef'), [
      'spec.x: Invalid value: "abcdef": spec.x in body should be at most 5 chars long',
    ]);
  });

  it('matches pattern anywhere in the string, as OpenAPI does', () => {
    assert.deepEqual(errorsOf({ type: 'string', pattern: '[0-9]' }, 'v1'), []);
    assert.deepEqual(errorsOf({ type: 'string', pattern: '^[a-z]+$' }, 'Abc'), [
      'spec.x: Invalid value: "Abc": spec.x in body should match \'^[a-z]+$\'',
    ]);
  });

  it('reports a pattern that does not compile on the value instead of throwing', () => {
    const schema = { type: 'string', pattern: '([a-z]' };
    const expected = [
      'spec.x: Invalid value: "abc": spec.x in body should match \'([a-z]\', which is not a valid regular expression',
    ];
    assert.deepEqual(errorsOf(schema, 'abc'), expected);
    assert.deepEqual(errorsOf(schema, 'abc'), expected);
  });

  it('accepts only enum values, compared by content', () => {
    assert.deepEqual(errorsOf({ type: 'string', enum: ['Always', 'Never'] }, 'Sometimes'), [
      'spec.x: Unsupported value: "Sometimes": supported values: "Always", "Never"',
    ]);
    assert.deepEqual(errorsOf({ enum: [1, { a: [1, 2] }] }, { a: [1, 2] }), []);
    assert.deepEqual(errorsOf({ enum: [1, { a: 1 }] }, 2), [
      'spec.x: Unsupported value: 2: supported values: "1", "{\\"a\\":1}"',
    ]);
  });

  it('counts array items', () => {
    const schema = { type: 'array', minItems: 1, maxItems: 2, items: { type: 'integer' } };
    assert.deepEqual(errorsOf(schema, [1, 2]), []);
    assert.deepEqual(errorsOf(schema, []), [
      'spec.x: Invalid value: 0: spec.x in body should have at least 1 items',
    ]);
    assert.deepEqual(errorsOf(schema, [1, 2, 3]), [
      'spec.x: Invalid value: 3: spec.x in body should have at most 2 items',
    ]);
  });

  it('refuses duplicates under uniqueItems, objects compared whatever their key order', () => {
    const schema = { type: 'array', uniqueItems: true };
    assert.deepEqual(errorsOf(schema, [1, '1', { a: 1, b: 2 }]), []);
    assert.deepEqual(
      errorsOf(schema, [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ]),
      ['spec.x: Invalid value: "array": spec.x in body shouldn\'t contain duplicates'],
    );
  });

  it('counts object properties', () => {
    const schema = { type: 'object', minProperties: 1, maxProperties: 2 };
    assert.deepEqual(errorsOf(schema, { a: 1 }), []);
    assert.deepEqual(errorsOf(schema, {}), [
      'spec.x: Invalid value: 0: spec.x in body should have at least 1 properties',
    ]);
    assert.deepEqual(errorsOf(schema, { a: 1, b: 2, c: 3 }), [
      'spec.x: Invalid value: 3: spec.x in body should have at most 2 properties',
    ]);
  });

  describe('formats', () => {
    const cases: Array<[string, string[], string[]]> = [
      [
        'date-time',
        ['2024-02-29T23:59:60Z', '2024-05-01T10:00:00.123+02:00', '2024-05-01T10:00:00'],
        ['2023-02-29T00:00:00Z', '2024-05-01', 'yesterday'],
      ],
      ['datetime', ['2024-05-01T10:00:00Z'], ['2024-05-01T25:00:00Z']],
      ['date', ['2024-02-29', '2000-12-31'], ['2023-02-29', '2024-13-01', '2024-5-1']],
      ['byte', ['', 'aGVsbG8=', 'aGk='], ['aGVsbG8', 'not base64!']],
      [
        'uuid',
        ['123e4567-e89b-12d3-a456-426614174000', '123E4567-E89B-12D3-A456-426614174000'],
        ['123e4567e89b12d3a456426614174000'],
      ],
      ['ipv4', ['10.0.0.1'], ['10.0.0.256', '::1', '010.0.0.1']],
      ['ipv6', ['2001:db8::1', '::ffff:10.0.0.1'], ['10.0.0.1', 'fe80::1%eth0', '2001:db8:::1']],
      ['hostname', ['node-1.example.com', 'Gateway7'], ['-bad.example.com', 'a_b', `${'a'.repeat(64)}.com`]],
    ];
    for (const [format, valid, invalid] of cases) {
      it(`checks ${format}`, () => {
        for (const value of valid) assert.deepEqual(errorsOf({ type: 'string', format }, value), [], value);
        for (const value of invalid) {
          const text = JSON.stringify(value);
          assert.deepEqual(errorsOf({ type: 'string', format }, value), [
            `spec.x: Invalid value: ${text}: spec.x in body must be of type ${format}: ${text}`,
          ]);
        }
      });
    }

    it('reports a bad format as a type error', () => {
      const [error] = validateAgainstSchema({ type: 'string', format: 'uuid' }, 'nope', 'spec.id');
      assert.equal(error?.type, 'FieldValueTypeInvalid');
    });

    it('accepts any value for formats it does not check', () => {
      assert.deepEqual(errorsOf({ type: 'string', format: 'email' }, 'not an email'), []);
    });
  });
});
