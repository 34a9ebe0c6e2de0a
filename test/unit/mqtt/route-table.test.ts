import assert from 'node:assert/strict';
import { payloadExamples } from '../../../api/mqtt/payload-examples.js';
import {
  buildTopic,
  parseTopic,
  type Route,
  type RouteName,
  routeList,
  routes,
  wildcardFilter,
} from '../../../api/mqtt/route-table.js';

const sampleParams: Record<string, string> = {
  node: 'gw-17',
  id: 'r-42',
  namespace: 'default',
  kind: 'deployment',
  name: 'sensor-reader',
  segment: 'ipv4-192.168.10.0-24',
};

function sampleTopic(route: Route): string {
  const params = Object.fromEntries(route.compiled.params.map((p) => [p, sampleParams[p]!]));
  return buildTopic(route, params);
}

describe('MQTT route table', () => {
  it('builds and parses every route back to itself with its parameters', () => {
    for (const route of routeList) {
      const topic = sampleTopic(route);
      const parsed = parseTopic(topic);
      assert.equal(parsed?.route, route, topic);
      for (const p of route.compiled.params) assert.equal(parsed.params[p], sampleParams[p]);
    }
  });

  it('keys every route under its own name (the hub narrows payload types by the name)', () => {
    for (const [key, route] of Object.entries(routes)) assert.equal(route.name, key);
  });

  it('builds the documented topics', () => {
    assert.equal(buildTopic(routes.heartbeat, { node: 'gw-17' }), 'flotilla/v1/nodes/gw-17/heartbeat');
    assert.equal(
      buildTopic(routes.reply, { node: 'gw-17', id: 'r-1' }),
      'flotilla/v1/nodes/gw-17/replies/r-1',
    );
    assert.equal(
      buildTopic(routes.workloadSummary, { namespace: 'default', kind: 'daemonset', name: 'agent' }),
      'flotilla/v1/summary/workloads/default/daemonset/agent',
    );
  });

  it('refuses to build a topic from a parameter that is not one well-formed level', () => {
    for (const node of ['gw/17', 'gw+', '#', 'GW-17', '']) {
      assert.throws(() => buildTopic(routes.desired, { node }), /\{node\}/, node);
    }
    assert.throws(() => buildTopic(routes.reply, { node: 'gw-17', id: 'a b' }), /\{id\}/);
  });

  it('parses nothing that is not a route', () => {
    for (const topic of [
      'flotilla/v1/nodes/gw-17',
      'flotilla/v1/nodes/gw-17/heartbeat/extra',
      'flotilla/v2/nodes/gw-17/heartbeat',
      'flotilla/v1/nodes/GW/heartbeat',
      'flotilla/v1/nodes/+/heartbeat',
      '$SYS/broker/clients',
      '',
    ]) {
      assert.equal(parseTopic(topic), undefined, topic);
    }
  });

  it('puts every gateway topic under the gateway node, so access can be derived per node', () => {
    for (const route of routeList) {
      if (route.direction === 'hub-to-dashboard') assert.match(route.pattern, /^flotilla\/v1\/summary\//);
      else if (route.direction === 'hub-to-fleet') assert.match(route.pattern, /^flotilla\/v1\/shared\//);
      else assert.match(route.pattern, /^flotilla\/v1\/nodes\/\{node\}\//, route.name);
    }
  });

  it('retains only presence, desired-state snapshots, Services, EndpointSlices and dashboard summaries', () => {
    const retained = routeList.filter((r) => r.retain).map((r) => r.name);
    // Not pod routes: a gateway without a session would get its whole segment, a message per route.
    assert.deepEqual(retained, [
      'presence',
      'desired',
      'service',
      'endpointSlice',
      'nodeSummary',
      'workloadSummary',
    ]);
  });

  it('keeps heartbeats tiny and at QoS 0, and state at QoS 1', () => {
    assert.equal(routes.heartbeat.qos, 0);
    assert.ok(routes.heartbeat.maxBytes <= 128);
    for (const name of ['register', 'nodeStatus', 'podStatus', 'ack', 'desired', 'presence'] as const) {
      assert.equal(routes[name].qos, 1, name);
    }
  });

  it('has an example for every route that its own validator accepts, within its size limit', () => {
    for (const name of Object.keys(routes) as RouteName[]) {
      const route: Route = routes[name];
      const verdict = route.validate(payloadExamples[name]);
      assert.ok(verdict.ok, `${name}: ${verdict.ok ? '' : verdict.error}`);
      assert.ok(JSON.stringify(payloadExamples[name]).length <= route.maxBytes, name);
    }
  });

  it('gives the hub one wildcard filter per route', () => {
    assert.equal(wildcardFilter(routes.podStatus), 'flotilla/v1/nodes/+/pods/status');
    assert.equal(wildcardFilter(routes.reply), 'flotilla/v1/nodes/+/replies/+');
  });
});
