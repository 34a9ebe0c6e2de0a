import assert from 'node:assert/strict';
import { silentLogger } from '../../../api/logger.js';
import { encodePayload } from '../../../api/mqtt/codec.js';
import { podRoutesDigest } from '../../../api/mqtt/payloads/pod-routes.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import type { KubeObject } from '../../../api/types.js';
import { SharedSync } from '../../../edge-agent/hub-link/shared-sync.js';
import { captureLogger } from '../../helpers/capture-logger.js';

function service(name: string, resourceVersion: string, port = 80): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', resourceVersion },
    spec: { clusterIP: '10.43.0.9', ports: [{ port }] },
  };
}

const topic = (name: string) => buildTopic(routes.service, { namespace: 'default', name });
const routeTopic = (segment: string, node: string) => buildTopic(routes.podRoute, { segment, node });
const names = (sync: SharedSync) =>
  sync.view().services.map((s) => `${s.metadata.name}@${s.metadata.resourceVersion}`);

describe('agent shared-state sync', () => {
  it('keeps one copy per object: a duplicate or an older copy changes nothing, an empty message deletes', () => {
    const sync = new SharedSync('gw-1', undefined, silentLogger);
    assert.equal(sync.receive(topic('web'), encodePayload(service('web', '7'))), 'changed');
    assert.equal(sync.receive(topic('web'), encodePayload(service('web', '7'))), 'unchanged');
    assert.equal(sync.receive(topic('web'), encodePayload(service('web', '9', 8080))), 'changed');
    // Reordered: the copy of version 8 arrives after 9.
    assert.equal(sync.receive(topic('web'), encodePayload(service('web', '8', 81))), 'unchanged');
    assert.deepEqual(names(sync), ['web@9']);
    assert.equal(sync.receive(topic('web'), Buffer.alloc(0)), 'changed');
    assert.equal(sync.receive(topic('web'), Buffer.alloc(0)), 'unchanged');
    assert.deepEqual(names(sync), []);
  });

  it("reads the routes of its own segment only, and forgets the old segment's when it moves", () => {
    const sync = new SharedSync('gw-1', undefined, silentLogger);
    sync.setSegment('site-a');
    const route = { node: 'gw-2', podCIDR: '10.42.2.0/24', via: '192.168.1.2' };
    assert.equal(sync.receive(routeTopic('site-a', 'gw-2'), encodePayload(route)), 'changed');
    assert.equal(
      sync.receive(routeTopic('site-b', 'gw-3'), encodePayload({ ...route, node: 'gw-3' })),
      'ignored',
    );
    assert.deepEqual(sync.view().podRoutes, [route]);
    assert.equal(sync.setSegment('site-b'), true);
    assert.equal(sync.view().podRoutes, undefined);
  });

  it('after a subscription the broker lost, drops what the retained burst did not repeat (routes are not retained)', () => {
    const route = { node: 'gw-2', podCIDR: '10.42.2.0/24', via: '192.168.1.2' };
    const sync = new SharedSync(
      'gw-1',
      {
        services: [service('kept', '3'), service('deleted-meanwhile', '4')],
        podRoutes: [route],
        segment: 'site-a',
      },
      silentLogger,
    );
    sync.beginRefill();
    sync.receive(topic('kept'), encodePayload(service('kept', '3')));
    sync.receive(topic('new'), encodePayload(service('new', '11')));
    assert.equal(sync.endRefill(), true);
    assert.deepEqual(names(sync), ['kept@3', 'new@11']);
    assert.deepEqual(sync.view().podRoutes, [route]);
  });

  it("replaces its routes with its segment's whole set, and names what it holds by the set's digest", () => {
    const gw2 = { node: 'gw-2', podCIDR: '10.42.2.0/24', via: '192.168.1.2' };
    const gw3 = { node: 'gw-3', podCIDR: '10.42.3.0/24', via: '192.168.1.3' };
    const own = { node: 'gw-1', podCIDR: '10.42.1.0/24', via: '192.168.1.1' };
    const sync = new SharedSync('gw-1', { podRoutes: [gw2], segment: 'site-a' }, silentLogger);
    const setTopic = buildTopic(routes.routeSet, { node: 'gw-1' });
    const set = (segment: string, list: (typeof gw2)[]) =>
      encodePayload({ segment, digest: podRoutesDigest(list), routes: list });
    // A set of a segment the node left since is not its routes.
    assert.equal(sync.receive(setTopic, set('site-b', [gw3])), 'ignored');
    // Another node's set is not for it.
    assert.equal(
      sync.receive(buildTopic(routes.routeSet, { node: 'gw-9' }), set('site-a', [gw3])),
      'ignored',
    );
    assert.equal(sync.receive(setTopic, set('site-a', [gw3, own])), 'changed');
    assert.deepEqual(sync.view().podRoutes, [gw3]);
    assert.deepEqual(sync.routesRequest(), { segment: 'site-a', digest: podRoutesDigest([gw3]) });
    assert.equal(sync.receive(setTopic, set('site-a', [gw3])), 'unchanged');
    assert.equal(sync.receive(setTopic, encodePayload({ segment: 'site-a', routes: 'all' })), 'invalid');
    assert.deepEqual(sync.view().podRoutes, [gw3]);
    sync.setSegment(undefined);
    assert.equal(sync.routesRequest(), undefined);
  });

  it('refuses a malformed object, keeping what it held', () => {
    const logs: string[] = [];
    const sync = new SharedSync('gw-1', { services: [service('web', '3')] }, captureLogger(logs));
    assert.equal(sync.receive(topic('web'), encodePayload({ kind: 'Service' })), 'invalid');
    assert.deepEqual(names(sync), ['web@3']);
    assert.match(logs[0] ?? '', /service default\/web refused: apiVersion: Required value/);
  });
});
