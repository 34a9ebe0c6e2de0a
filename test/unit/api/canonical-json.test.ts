import assert from 'node:assert/strict';
import { canonicalJson, jsonEquals } from '../../../api/canonical-json.js';

describe('canonical JSON', () => {
  it('sorts object keys at every level, so key order never matters', () => {
    const a = { b: 1, a: { d: [{ y: 2, x: 1 }], c: null } };
    const b = { a: { c: null, d: [{ x: 1, y: 2 }] }, b: 1 };
    assert.equal(canonicalJson(a), '{"a":{"c":null,"d":[{"x":1,"y":2}]},"b":1}');
    assert.equal(canonicalJson(a), canonicalJson(b));
    assert.ok(jsonEquals(a, b));
    assert.ok(!jsonEquals([1, 2], [2, 1]));
  });

  it('orders keys by UTF-16 code units: upper case before lower, astral characters before U+FFFF', () => {
    const keys = (value: object) => Object.keys(JSON.parse(canonicalJson(value)));
    assert.deepEqual(keys({ b: 1, B: 1, _: 1, a: 1 }), ['B', '_', 'a', 'b']);
    assert.deepEqual(keys({ '\uffff': 1, '\u{1F600}': 1, é: 1, z: 1 }), ['z', 'é', '\u{1F600}', '\uffff']);
    assert.equal(canonicalJson({ 9: 1, 10: 2, a: 3 }), '{"10":2,"9":1,"a":3}');
  });

  it('can put integer-like keys first in numeric order, as a JavaScript object holds them', () => {
    assert.equal(
      canonicalJson({ 9: 1, 10: 2, a: 3, '01': 4 }, { integerKeysFirst: true }),
      '{"9":1,"10":2,"01":4,"a":3}',
    );
    assert.equal(
      canonicalJson({ 4294967295: 1, 5: 2 }, { integerKeysFirst: true }),
      '{"5":2,"4294967295":1}',
    );
  });

  it('writes strings and numbers as JSON.stringify does, unicode escapes included', () => {
    for (const value of [
      'plain',
      'é ☃ \u{1F600}',
      'quote " and \\ and \n',
      '\u2028\u2029',
      '\ud800 lone',
      '\u0000',
    ])
      assert.equal(canonicalJson(value), JSON.stringify(value));
    for (const value of [0, -0, 1.5, 1e21, 2 ** 53, -7])
      assert.equal(canonicalJson(value), JSON.stringify(value));
    assert.equal(canonicalJson(Number.NaN), 'null');
    assert.equal(canonicalJson([Number.POSITIVE_INFINITY]), '[null]');
    assert.equal(canonicalJson(true), 'true');
  });

  it('leaves out what JSON leaves out, and never throws on what JSON cannot hold', () => {
    assert.equal(canonicalJson({ a: undefined, b: () => 1, c: Symbol('s'), d: 1 }), '{"d":1}');
    assert.equal(canonicalJson([undefined, () => 1, 1]), '[null,null,1]');
    assert.equal(canonicalJson(undefined), '');
    assert.equal(canonicalJson({ n: 10n }), '{"n":10}');
    assert.ok(jsonEquals({ a: undefined }, {}));
  });

  it('with omitEmpty, drops null, {} and [] members (also once emptied), but keeps array items', () => {
    const roundTripped = {
      metadata: { creationTimestamp: null, annotations: {} },
      spec: { a: [], b: { c: {} }, d: 0 },
    };
    assert.equal(canonicalJson(roundTripped, { omitEmpty: true }), '{"spec":{"d":0}}');
    assert.equal(canonicalJson({ list: [{}, null, []] }, { omitEmpty: true }), '{"list":[{},null,[]]}');
    assert.equal(canonicalJson({}, { omitEmpty: true }), '{}');
    assert.equal(canonicalJson({ s: '', f: false }, { omitEmpty: true }), '{"f":false,"s":""}');
  });

  it('does not walk values nested past 256 levels: they never compare equal', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    assert.ok(!jsonEquals(deep, deep));
    let shallow: unknown = 1;
    for (let i = 0; i < 200; i++) shallow = [shallow];
    assert.ok(jsonEquals(shallow, structuredClone(shallow)));
  });
});
