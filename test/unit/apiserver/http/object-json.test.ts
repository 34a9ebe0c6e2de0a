import assert from 'node:assert/strict';
import { listJson, withJsonFields } from '../../../../hub/apiserver/http/object-json.js';
import { deepFreeze } from '../../../../hub/store/deep-freeze.js';

describe('object JSON text', () => {
  it('adds fields given as JSON text after the head, with or without fields of its own', () => {
    assert.equal(withJsonFields({ a: 1 }, { b: '[2]', 'c"d': '{}' }), '{"a":1,"b":[2],"c\\"d":{}}');
    assert.equal(withJsonFields({}, { items: '[]' }), '{"items":[]}');
  });

  it('writes a List that parses to the head and its items', () => {
    const items = [deepFreeze({ metadata: { name: 'a' } }), { metadata: { name: 'b' } }];
    const head = { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '9' } };
    assert.deepEqual(JSON.parse(listJson(head, items)), { ...head, items });
  });
});
