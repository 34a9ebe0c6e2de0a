import assert from 'node:assert/strict';
import { duplicateJsonFields } from '../../../../hub/apiserver/http/duplicate-fields.js';

describe('keys a JSON body names twice', () => {
  it('names each repeat by its path, in document order, through objects and lists', () => {
    const text = JSON.stringify({ spec: { containers: [{ name: 'a' }, { name: 'b' }] } })
      .replace('{"name":"b"}', '{"name":"b","image":"x","name":"c"}')
      .replace('{"spec":', '{"kind":"Pod","spec":')
      .replace(/}$/, ',"kind":"Pod"}');
    assert.deepEqual(duplicateJsonFields(text), ['spec.containers[1].name', 'kind']);
  });

  it('compares keys as JSON reads them, escapes included, and ignores strings that are values', () => {
    assert.deepEqual(duplicateJsonFields('{"a\\u0062":1,"ab":2}'), ['ab']);
    assert.deepEqual(duplicateJsonFields('{"a":"a","b":"a","c":["a","a"]}'), []);
    assert.deepEqual(duplicateJsonFields('{"a":"x\\"y","a":"{\\"a\\":1}"}'), ['a']);
  });

  it('keeps the keys of sibling objects apart', () => {
    assert.deepEqual(duplicateJsonFields('[{"a":1},{"a":2}]'), []);
    assert.deepEqual(duplicateJsonFields('{"x":{"a":1},"y":{"a":1,"b":{},"a":2}}'), ['y.a']);
    assert.deepEqual(duplicateJsonFields('{"":1,"":2}'), ['']);
  });
});
