import assert from 'node:assert/strict';
import { type Identity, mayPublish, maySubscribe } from '../../../api/mqtt/access.js';
import {
  agentConnectFields,
  agentSubscriptions,
  segmentSubscription,
} from '../../../api/mqtt/agent-session.js';
import { routeList } from '../../../api/mqtt/route-table.js';

const gw: Identity = { role: 'node', node: 'gw-1' };
const hub: Identity = { role: 'hub' };
const dashboard: Identity = { role: 'dashboard' };

describe('MQTT access rules derived from the route table', () => {
  const publishCases: Array<[Identity, string, boolean]> = [
    [gw, 'flotilla/v1/nodes/gw-1/heartbeat', true],
    [gw, 'flotilla/v1/nodes/gw-1/pods/status', true],
    [gw, 'flotilla/v1/nodes/gw-1/presence', true],
    [gw, 'flotilla/v1/nodes/gw-1/replies/r-1', true],
    [gw, 'flotilla/v1/nodes/gw-2/heartbeat', false],
    [gw, 'flotilla/v1/nodes/gw-1/desired', false],
    [gw, 'flotilla/v1/shared/services/default/web', false],
    [hub, 'flotilla/v1/shared/services/default/web', true],
    [gw, 'flotilla/v1/nodes/gw-1/requests/logs', false],
    [gw, 'flotilla/v1/summary/nodes/gw-1', false],
    [gw, 'factory/line-1/temperature', false],
    [gw, '$SYS/broker/load', false],
    [hub, 'flotilla/v1/nodes/gw-1/desired', true],
    [hub, 'flotilla/v1/nodes/gw-1/stdin/r-1', true],
    [hub, 'flotilla/v1/summary/nodes/gw-1', true],
    [hub, 'flotilla/v1/nodes/gw-1/heartbeat', false],
    [dashboard, 'flotilla/v1/summary/nodes/gw-1', false],
    [dashboard, 'flotilla/v1/nodes/gw-1/presence', false],
  ];
  for (const [who, topic, allowed] of publishCases) {
    it(`${allowed ? 'lets' : 'refuses'} ${who.role === 'node' ? who.node : who.role} publish ${topic}`, () => {
      assert.equal(mayPublish(who, topic).allowed, allowed);
    });
  }

  const subscribeCases: Array<[Identity, string, boolean]> = [
    [gw, 'flotilla/v1/nodes/gw-1/desired', true],
    [gw, 'flotilla/v1/nodes/gw-1/requests/+', true],
    [gw, 'flotilla/v1/nodes/gw-1/stdin/+', true],
    [gw, 'flotilla/v1/nodes/gw-2/desired', false],
    [gw, 'flotilla/v1/nodes/+/desired', false],
    [gw, 'flotilla/v1/nodes/gw-1/desired/delta', true],
    [gw, 'flotilla/v1/nodes/gw-2/desired/delta', false],
    [gw, 'flotilla/v1/shared/services/+/+', true],
    [gw, 'flotilla/v1/shared/endpointslices/+/+', true],
    [gw, 'flotilla/v1/shared/segments/site-hall-3/routes/+', true],
    [gw, 'flotilla/v1/shared/#', true],
    [gw, 'flotilla/v1/+/+/+/+', false],
    [gw, 'flotilla/v1/nodes/gw-1/#', false],
    [gw, 'flotilla/v1/nodes/gw-1/heartbeat', false],
    [gw, '#', false],
    [gw, 'unrelated/topic', false],
    [hub, 'flotilla/v1/nodes/+/heartbeat', true],
    [hub, 'flotilla/v1/nodes/+/replies/+', true],
    [hub, 'flotilla/v1/nodes/+/desired', false],
    [dashboard, 'flotilla/v1/summary/#', true],
    [dashboard, 'flotilla/v1/summary/nodes/+', true],
    [dashboard, 'flotilla/v1/nodes/+/presence', true],
    [dashboard, 'flotilla/v1/nodes/gw-1/desired', false],
    [dashboard, 'flotilla/v1/#', false],
    [dashboard, '$SYS/#', false],
    [dashboard, 'flotilla/v1/summary/#/x', false],
    [dashboard, 'flotilla/v1/summary/nod+', false],
  ];
  for (const [who, filter, allowed] of subscribeCases) {
    it(`${allowed ? 'lets' : 'refuses'} ${who.role === 'node' ? who.node : who.role} subscribe ${filter}`, () => {
      assert.equal(maySubscribe(who, filter).allowed, allowed);
    });
  }

  it('says why a refusal happened', () => {
    assert.deepEqual(mayPublish(gw, 'flotilla/v1/nodes/gw-2/heartbeat'), {
      allowed: false,
      reason: 'node gw-1 may not publish heartbeat',
    });
    assert.deepEqual(maySubscribe(gw, 'flotilla/v1/nodes/+/desired'), {
      allowed: false,
      reason: 'node gw-1 may not read desired (flotilla/v1/nodes/{node}/desired)',
    });
    assert.deepEqual(maySubscribe(dashboard, 'nothing/here'), {
      allowed: false,
      reason: 'matches no Flotilla topic',
    });
  });
});

describe('agent session fields derived from the route table', () => {
  it('subscribes an agent only to what it may read: every hub → agent route and the shared objects', () => {
    const subscriptions = agentSubscriptions('gw-1');
    const own = routeList.filter((r) => r.direction === 'hub-to-agent').length;
    assert.equal(subscriptions.length, own + 2);
    for (const { filter } of subscriptions) assert.equal(maySubscribe(gw, filter).allowed, true, filter);
    for (const { filter } of agentSubscriptions('gw-2').filter((s) => s.filter.includes('/nodes/')))
      assert.equal(maySubscribe(gw, filter).allowed, false, filter);
    // Pod routes: only those of the node's own segment, not every gateway's.
    assert.ok(!subscriptions.some((s) => s.filter.includes('/segments/')));
    assert.equal(
      segmentSubscription('site-hall-3').filter,
      'flotilla/v1/shared/segments/site-hall-3/routes/+',
    );
  });

  it('sets a persistent session and a retained offline Will the node may publish', () => {
    const fields = agentConnectFields('gw-1', 'join', 'k'.repeat(32));
    assert.equal(fields.clientId, 'node:gw-1');
    assert.equal(fields.password, `join:${'k'.repeat(32)}`);
    assert.equal(fields.clean, false);
    assert.equal(mayPublish(gw, fields.will.topic).allowed, true);
    assert.deepEqual(JSON.parse(fields.will.payload.toString()), { state: 'offline' });
  });
});
