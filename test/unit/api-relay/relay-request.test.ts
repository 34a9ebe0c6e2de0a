import assert from 'node:assert/strict';
import {
  bearerIdentity,
  collectionKey,
  describeRequest,
  impersonationOf,
  offlineAnswer,
  readKey,
} from '../../../edge-agent/api-relay/relay-request.js';

const list = '/api/v1/namespaces/line-3/configmaps';
const json = 'application/json';

function cacheOf(reads: string[], collections: string[] = []) {
  return { hasRead: (k: string) => reads.includes(k), hasCollection: (k: string) => collections.includes(k) };
}

describe('API relay requests (what the cache may answer offline)', () => {
  it('identifies a token by its hash, never by the token itself; no token is nobody', () => {
    const id = bearerIdentity('Bearer abc.def');
    assert.match(id!, /^[0-9a-f]{64}$/);
    assert.ok(!id!.includes('abc'));
    assert.equal(bearerIdentity('bearer abc.def'), id);
    assert.equal(bearerIdentity(undefined), undefined);
    assert.equal(bearerIdentity('Basic dXNlcg=='), undefined);
  });

  it('tells reads, watches and writes apart', () => {
    assert.deepEqual(
      [
        describeRequest('GET', list, undefined),
        describeRequest('GET', `${list}?watch=true`, undefined),
        describeRequest('GET', '/api/v1/watch/namespaces/line-3/configmaps', undefined),
        describeRequest('HEAD', list, undefined),
        describeRequest('POST', list, undefined),
      ].map((r) => [r.read, r.watch]),
      [
        [true, false],
        [false, true],
        [false, true],
        [true, false],
        [false, false],
      ],
    );
  });

  it('keys a read by token, path, the query that matters and Accept', () => {
    const key = (url: string, token = 'Bearer t1', accept = json) =>
      readKey(describeRequest('GET', url, token), accept);
    assert.equal(key(`${list}?limit=500&resourceVersion=0`), key(`${list}?limit=500`));
    assert.equal(key(`${list}?labelSelector=a%3Db&limit=5`), key(`${list}?limit=5&labelSelector=a%3Db`));
    assert.notEqual(key(`${list}?limit=500`), key(list));
    assert.notEqual(key(list), key(list, 'Bearer t2'));
    assert.notEqual(key(list), key(list, 'Bearer t1', 'application/json;as=Table;v=v1;g=meta.k8s.io'));
    assert.notEqual(key(`${list}?labelSelector=a%3Db`), key(`${list}?labelSelector=a%3Dc`));
    assert.equal(key(list, ''), undefined);
    assert.equal(readKey(describeRequest('POST', list, 'Bearer t1'), json), undefined);
  });

  it('answers offline only what this token read before; writes and unknown reads are unavailable', () => {
    const read = describeRequest('GET', list, 'Bearer t1');
    const cached = cacheOf([readKey(read, json)!]);
    assert.deepEqual(offlineAnswer(read, cached, json), { kind: 'cached' });
    assert.deepEqual(offlineAnswer(describeRequest('GET', list, 'Bearer t2'), cached, json), {
      kind: 'unavailable',
      why: 'unknown',
    });
    assert.deepEqual(offlineAnswer(describeRequest('GET', list, undefined), cached, json), {
      kind: 'unavailable',
      why: 'unknown',
    });
    assert.deepEqual(offlineAnswer(describeRequest('DELETE', `${list}/x`, 'Bearer t1'), cached, json), {
      kind: 'unavailable',
      why: 'write',
    });
  });

  it('holds a watch offline only for a collection the same token listed with the same selectors', () => {
    const listed = describeRequest('GET', `${list}?labelSelector=app%3Dplc&limit=500`, 'Bearer t1');
    const cache = cacheOf([], [collectionKey(listed)!]);
    const watch = (url: string, token = 'Bearer t1') =>
      offlineAnswer(describeRequest('GET', url, token), cache, json).kind;
    assert.equal(watch(`${list}?watch=1&labelSelector=app%3Dplc&resourceVersion=88`), 'hold-watch');
    assert.equal(watch(`${list}?watch=1&labelSelector=app%3Dhmi`), 'unavailable');
    assert.equal(watch(`${list}?watch=1`, 'Bearer t2'), 'unavailable');
    assert.equal(watch('/api/v1/namespaces/line-3/secrets?watch=1&labelSelector=app%3Dplc'), 'unavailable');
  });
});

describe('API relay identities', () => {
  it('tells one token impersonating two users apart, and keeps the token alone as it is', () => {
    const jane = impersonationOf({ 'impersonate-user': 'jane' });
    const joe = impersonationOf({ 'impersonate-user': 'joe', 'impersonate-group': ['a', 'b'] });
    assert.equal(impersonationOf({ accept: 'x' }), '');
    const ids = [
      bearerIdentity('Bearer t'),
      bearerIdentity('Bearer t', jane),
      bearerIdentity('Bearer t', joe),
    ];
    assert.equal(new Set(ids).size, 3);
    assert.equal(bearerIdentity('Bearer t', ''), ids[0]);
  });
});
