import assert from 'node:assert/strict';
import { RetainedTree } from '../../../hub/broker/retained-index.js';

const tree = (...topics: string[]) => {
  const t = new RetainedTree();
  for (const topic of topics) t.set({ topic, payload: Buffer.from(topic) });
  return t;
};
const matching = (t: RetainedTree, filter: string) => [...t.match(filter)].map((p) => p.topic).sort();

describe('RetainedTree: retained messages by MQTT filter', () => {
  const t = tree(
    'flotilla/v1/nodes/gw-1/desired',
    'flotilla/v1/nodes/gw-2/desired',
    'flotilla/v1/nodes/gw-1/presence',
    'flotilla/v1/shared/services/default/web',
    'flotilla/v1',
    '$SYS/broker/uptime',
  );

  it('finds an exact topic, and nothing for a topic not held', () => {
    assert.deepEqual(matching(t, 'flotilla/v1/nodes/gw-1/desired'), ['flotilla/v1/nodes/gw-1/desired']);
    assert.deepEqual(matching(t, 'flotilla/v1/nodes/gw-3/desired'), []);
    assert.deepEqual(matching(t, 'flotilla/v1/nodes/gw-1'), []);
  });

  it('matches + at one level and # at the rest, the parent level included', () => {
    assert.deepEqual(matching(t, 'flotilla/v1/nodes/+/desired'), [
      'flotilla/v1/nodes/gw-1/desired',
      'flotilla/v1/nodes/gw-2/desired',
    ]);
    assert.deepEqual(matching(t, 'flotilla/v1/shared/#'), ['flotilla/v1/shared/services/default/web']);
    assert.deepEqual(matching(t, 'flotilla/v1/#'), [
      'flotilla/v1',
      'flotilla/v1/nodes/gw-1/desired',
      'flotilla/v1/nodes/gw-1/presence',
      'flotilla/v1/nodes/gw-2/desired',
      'flotilla/v1/shared/services/default/web',
    ]);
    assert.deepEqual(matching(t, 'flotilla/+/nodes/gw-1/+'), [
      'flotilla/v1/nodes/gw-1/desired',
      'flotilla/v1/nodes/gw-1/presence',
    ]);
  });

  it('keeps $ topics from wildcards at the first level, not from an explicit filter', () => {
    assert.ok(!matching(t, '#').includes('$SYS/broker/uptime'));
    assert.ok(!matching(t, '+/broker/uptime').includes('$SYS/broker/uptime'));
    assert.deepEqual(matching(t, '$SYS/#'), ['$SYS/broker/uptime']);
  });

  it('forgets a deleted topic and keeps its neighbours', () => {
    const u = tree('a/b/c', 'a/b/d', 'a/e');
    u.delete('a/b/c');
    u.delete('a/x/y');
    assert.deepEqual(matching(u, '#'), ['a/b/d', 'a/e']);
    u.delete('a/b/d');
    assert.deepEqual(matching(u, 'a/+/+'), []);
    assert.deepEqual(matching(u, '#'), ['a/e']);
  });

  it('replaces a topic set again', () => {
    const u = tree('a/b');
    u.set({ topic: 'a/b', payload: Buffer.from('new') });
    assert.deepEqual(
      [...u.match('a/b')].map((p) => p.payload.toString()),
      ['new'],
    );
  });
});
