import assert from 'node:assert/strict';
import type { Client } from 'aedes';
import { NodeSessions } from '../../../hub/broker/node-sessions.js';

type FakeClient = Client & { closed: boolean; closeCalls: number };

function aClient(id: string): FakeClient {
  const client = {
    id,
    closed: false,
    closeCalls: 0,
    close() {
      client.closeCalls++;
      client.closed = true;
    },
  };
  return client as unknown as FakeClient;
}

describe('NodeSessions: one session per node name', () => {
  it('lets a client with the bound key take over, and the old session stops speaking for the node', () => {
    const sessions = new NodeSessions();
    const first = aClient('node:gw-1');
    const second = aClient('node:gw-1');
    sessions.claim('gw-1', first);
    sessions.claim('gw-1', second);
    assert.equal(sessions.isCurrent('gw-1', first), false);
    assert.equal(sessions.release('gw-1', first), false);
    assert.equal(sessions.release('gw-1', second), true);
  });

  it('closes the current session of a revoked node, and only that one', () => {
    const sessions = new NodeSessions();
    const gw1 = aClient('node:gw-1');
    const gw2 = aClient('node:gw-2');
    sessions.claim('gw-1', gw1);
    sessions.claim('gw-2', gw2);
    assert.equal(sessions.disconnect('gw-1'), true);
    assert.equal(gw1.closeCalls, 1);
    assert.equal(gw2.closed, false);
    assert.deepEqual(sessions.connectedNodes(), ['gw-2']);
    // Released by the broker's disconnect handler, as for any dropped session.
    assert.equal(sessions.release('gw-1', gw1), true);
    assert.equal(sessions.disconnect('gw-1'), false);
  });
});
