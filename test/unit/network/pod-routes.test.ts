import assert from 'node:assert/strict';
import { validatePodRoute } from '../../../api/mqtt/payloads/pod-routes.js';
import { planPodRoutes } from '../../../edge-agent/network/pod-routes.js';

const own = { podCIDR: '10.42.1.0/24', addresses: ['172.31.0.11'] };

describe('pod routes between gateways (host-gw plan)', () => {
  it('adds a route for every other node and none for its own pod network or own address', () => {
    const plan = planPodRoutes(
      [
        { node: 'gw-1', podCIDR: '10.42.1.0/24', via: '172.31.0.11' },
        { node: 'gw-2', podCIDR: '10.42.2.0/24', via: '172.31.0.12' },
        { node: 'gw-3', podCIDR: '10.42.3.0/24', via: '172.31.0.11' },
      ],
      [],
      own,
    );
    assert.deepEqual(plan, {
      replace: [{ node: 'gw-2', podCIDR: '10.42.2.0/24', via: '172.31.0.12' }],
      remove: [],
    });
  });

  it('leaves routes that are right alone, moves changed next hops and removes gone nodes', () => {
    const plan = planPodRoutes(
      [
        { node: 'gw-2', podCIDR: '10.42.2.0/24', via: '172.31.0.12' },
        { node: 'gw-3', podCIDR: '10.42.3.0/24', via: '172.31.0.23' },
      ],
      [
        { dst: '10.42.2.0/24', gateway: '172.31.0.12' },
        { dst: '10.42.3.0/24', gateway: '172.31.0.13' },
        { dst: '10.42.4.0/24', gateway: '172.31.0.14' },
      ],
      own,
    );
    assert.deepEqual(plan.replace, [{ node: 'gw-3', podCIDR: '10.42.3.0/24', via: '172.31.0.23' }]);
    assert.deepEqual(plan.remove, ['10.42.4.0/24']);
  });

  it('removes a route to what became this node own pod network', () => {
    const plan = planPodRoutes([], [{ dst: '10.42.1.0/24', gateway: '172.31.0.12' }], own);
    assert.deepEqual(plan.remove, ['10.42.1.0/24']);
  });

  it('refuses a pod route that is malformed, naming the field', () => {
    for (const [route, problem] of [
      [{ node: 'gw-2', podCIDR: '10.42.2.0/33', via: '172.31.0.12' }, /^podCIDR/],
      [
        { node: 'gw-3', podCIDR: '10.42.3.0/24', via: 'fe80::1' },
        /via: Invalid value: "fe80::1": must be an IPv4 address/,
      ],
      [{ podCIDR: '10.42.4.0/24', via: '172.31.0.14' }, /node: Required value/],
    ] as const) {
      const verdict = validatePodRoute(route);
      assert.equal(verdict.ok, false);
      assert.match(verdict.ok ? '' : verdict.error, problem);
    }
    assert.equal(validatePodRoute({ node: 'gw-2', podCIDR: '10.42.2.0/24', via: '172.31.0.12' }).ok, true);
  });
});
