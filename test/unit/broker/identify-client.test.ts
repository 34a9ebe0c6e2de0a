import assert from 'node:assert/strict';
import { nodePassword } from '../../../api/mqtt/credentials.js';
import type { BrokerTokens } from '../../../hub/broker/broker-tokens.js';
import { type ConnectCredentials, identifyClient } from '../../../hub/broker/identify-client.js';

const tokens: BrokerTokens = { dashboard: 'dash-token', hub: 'hub-token', sparkplug: 'sp-token' };
const key = 'k'.repeat(32);

describe('identifyClient: who is connecting', () => {
  const cases: Array<[string, ConnectCredentials, string]> = [
    [
      'a gateway',
      { clientId: 'node:gw-1', username: 'gw-1', password: nodePassword('join-token', key) },
      'node gw-1',
    ],
    ['the hub', { clientId: 'hub:edge-sync', username: 'flotilla-hub', password: 'hub-token' }, 'hub'],
    ['a dashboard', { clientId: 'node-red-1', username: 'dashboard', password: 'dash-token' }, 'dashboard'],
    ['a SCADA host', { clientId: 'ignition-1', username: 'sparkplug', password: 'sp-token' }, 'sparkplug'],
    [
      'a SCADA host with the dashboard token',
      { clientId: 'ignition-1', username: 'sparkplug', password: 'dash-token' },
      'refused 4: wrong sparkplug token',
    ],
    [
      'a SCADA host posing as the hub',
      { clientId: 'hub:sparkplug:gw-1', username: 'sparkplug', password: 'sp-token' },
      'refused 2: sparkplug client ids may not start with node: or hub:',
    ],
    [
      'no credentials',
      { clientId: 'x', username: undefined, password: undefined },
      'refused 4: no username or password',
    ],
    [
      'a gateway with its node key alone',
      { clientId: 'node:gw-1', username: 'gw-1', password: key },
      'node gw-1',
    ],
    [
      'the bare bootstrap token',
      { clientId: 'node:gw-1', username: 'gw-1', password: 'abcdef.0123456789abcdef' },
      'refused 4: password is not <node key> or <bootstrap token>:<node key>',
    ],
    [
      'a short node key',
      { clientId: 'node:gw-1', username: 'gw-1', password: nodePassword('join-token', 'short') },
      'refused 4: password is not <node key> or <bootstrap token>:<node key>',
    ],
    [
      'a client id for another node',
      { clientId: 'node:gw-2', username: 'gw-1', password: nodePassword('join-token', key) },
      'refused 2: client id must be node:gw-1',
    ],
    [
      'an invalid node name',
      { clientId: 'node:GW_1', username: 'GW_1', password: nodePassword('join-token', key) },
      'refused 4',
    ],
    [
      'a wrong dashboard token',
      { clientId: 'd', username: 'dashboard', password: 'hub-token' },
      'refused 4: wrong dashboard token',
    ],
    [
      'a dashboard posing as a node',
      { clientId: 'node:gw-1', username: 'dashboard', password: 'dash-token' },
      'refused 2',
    ],
    [
      'a hub without the hub: prefix',
      { clientId: 'edge-sync', username: 'flotilla-hub', password: 'hub-token' },
      'refused 2',
    ],
  ];
  for (const [what, creds, expected] of cases) {
    it(`${expected.startsWith('refused') ? 'refuses' : 'accepts'} ${what}`, () => {
      const found = identifyClient(creds, tokens);
      const text = found.ok
        ? found.identity.role === 'node'
          ? `node ${found.identity.node}`
          : found.identity.role
        : `refused ${found.returnCode}: ${found.reason}`;
      assert.ok(text.startsWith(expected), `${text} does not start with ${expected}`);
    });
  }

  it('hands back the node key and the bootstrap token for the check against the bound key', () => {
    const found = identifyClient(
      { clientId: 'node:gw-1', username: 'gw-1', password: nodePassword('abcdef.0123456789abcdef', key) },
      tokens,
    );
    assert.ok(found.ok);
    assert.equal(found.nodeKey, key);
    assert.equal(found.joinToken, 'abcdef.0123456789abcdef');
    const alone = identifyClient({ clientId: 'node:gw-1', username: 'gw-1', password: key }, tokens);
    assert.ok(alone.ok);
    assert.equal(alone.joinToken, undefined);
  });
});
