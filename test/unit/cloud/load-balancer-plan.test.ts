// The balancer a LoadBalancer Service gets when its site has no address pool (the addresses of
// the gateways that run its ready endpoints, as k3s' ServiceLB does), and which site a Service
// belongs to when nothing names one.
import assert from 'node:assert/strict';
import type { Site } from '../../../api/site-inventory.js';
import type { KubeObject } from '../../../api/types.js';
import { LoadBalancerPending } from '../../../hub/cloud/cloud-provider.js';
import { planLoadBalancer } from '../../../hub/cloud/load-balancer-plan.js';

const site = (name: string, gateways: string[], pools: string[] = []): Site => ({
  metadata: { name },
  spec: {
    networks: ['172.30.0.0/16'],
    gateways: { names: gateways },
    ...(pools.length > 0 ? { addressPools: [{ name: 'default', addresses: pools }] } : {}),
  },
});

const gateway = (name: string, ip: string): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: { addresses: [{ type: 'InternalIP', address: ip }] },
  }) as KubeObject;

const service = (annotations: Record<string, string> = {}): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', annotations },
    spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
  }) as KubeObject;

const nodes = [gateway('a1', '172.30.1.11'), gateway('a2', '172.30.1.12'), gateway('b1', '172.30.2.11')];
const plantA = site('plant-a', ['a1', 'a2']);
const plantB = site('plant-b', ['b1']);

function pending(run: () => unknown): LoadBalancerPending {
  try {
    run();
  } catch (err) {
    if (err instanceof LoadBalancerPending) return err;
    throw err;
  }
  assert.fail('expected the Service to stay pending');
}

describe('load balancer plan without address pools', () => {
  it('gives the addresses of the site gateways that run a ready endpoint, sorted', () => {
    const plan = planLoadBalancer({
      service: service(),
      sites: [plantA, plantB],
      nodes,
      endpointNodes: new Set(['a2', 'a1']),
      taken: new Set(),
    });
    assert.deepEqual(plan.status.ingress, [
      { ip: '172.30.1.11', ipMode: 'VIP' },
      { ip: '172.30.1.12', ipMode: 'VIP' },
    ]);
    assert.deepEqual(plan.annotations, {});
  });

  it('stays pending until an endpoint is ready in the site', () => {
    const err = pending(() =>
      planLoadBalancer({
        service: service({ 'flotilla.io/site': 'plant-a' }),
        sites: [plantA, plantB],
        nodes,
        endpointNodes: new Set(['b1']),
        taken: new Set(),
      }),
    );
    assert.equal(err.reason, 'NoReadyEndpoints');
  });

  it('works with no Site at all: every gateway with a ready endpoint', () => {
    const plan = planLoadBalancer({
      service: service(),
      sites: [],
      nodes,
      endpointNodes: new Set(['b1']),
      taken: new Set(),
    });
    assert.deepEqual(plan.status.ingress, [{ ip: '172.30.2.11', ipMode: 'VIP' }]);
  });

  it('asks for the site annotation when the endpoints run in several sites, or in none of several', () => {
    for (const endpointNodes of [new Set(['a1', 'b1']), new Set<string>()]) {
      const err = pending(() =>
        planLoadBalancer({
          service: service(),
          sites: [plantA, plantB],
          nodes,
          endpointNodes,
          taken: new Set(),
        }),
      );
      assert.equal(err.reason, 'AmbiguousSite');
      assert.match(err.message, /name one in the annotation flotilla\.io\/site/);
    }
  });

  it('says so when the annotation names a site that does not exist', () => {
    const err = pending(() =>
      planLoadBalancer({
        service: service({ 'flotilla.io/site': 'plant-z' }),
        sites: [plantA],
        nodes,
        endpointNodes: new Set(['a1']),
        taken: new Set(),
      }),
    );
    assert.equal(err.reason, 'NoSuchSite');
  });
});
