import assert from 'node:assert/strict';
import type { Client } from 'aedes';
import { NodeSessions } from '../../../hub/broker/node-sessions.js';

function aClient(id: string): Client & { closed: boolean } {
  return { id, closed: false } as unknown as Client & { closed: boolean };
}

const keyA = 'a'.repeat(32);
const keyB = 'b'.repeat(32);

describe('NodeSessions: one session per node name', () => {
  it('refuses another node key while the first session is up', () => {
    const sessions = new NodeSessions();
    const first = aClient('node:gw-1');
    assert.equal(sessions.claim('gw-1', first, keyA), true);
    assert.equal(sessions.claim('gw-1', aClient('node:gw-1'), keyB), false);
    assert.equal(sessions.isCurrent('gw-1', first), true);
  });

  it('lets the same node key take over, and the old session stops speaking for the node', () => {
    const sessions = new NodeSessions();
    const first = aClient('node:gw-1');
    const second = aClient('node:gw-1');
    sessions.claim('gw-1', first, keyA);
    assert.equal(sessions.claim('gw-1', second, keyA), true);
    assert.equal(sessions.isCurrent('gw-1', first), false);
    assert.equal(sessions.release('gw-1', first), false);
    assert.equal(sessions.release('gw-1', second), true);
  });

  it('frees the name once the session is closed', () => {
    const sessions = new NodeSessions();
    const first = aClient('node:gw-1');
    sessions.claim('gw-1', first, keyA);
    first.closed = true;
    assert.equal(sessions.claim('gw-1', aClient('node:gw-1'), keyB), true);
  });
});
