import assert from 'node:assert/strict';
import type { PodStatusItem } from '../../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../../api/types.js';
import { ipsOutside, PodIPRanges, podCIDRsOf, refusal } from '../../../hub/edge-sync/pod-status.js';

const pod = (hostNetwork = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { nodeName: 'gw-1', hostNetwork, containers: [] },
});
const report = (...ips: string[]): PodStatusItem => ({
  namespace: 'default',
  name: 'p',
  uid: 'u1',
  observedAt: 1,
  status: { phase: 'Running', podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) },
});

describe("pod status: pod IPs within the Node's podCIDR", () => {
  it('reads spec.podCIDRs, or the single spec.podCIDR', () => {
    assert.deepEqual(podCIDRsOf({ ...pod(), kind: 'Node', spec: { podCIDR: '10.42.1.0/24' } }), [
      '10.42.1.0/24',
    ]);
    assert.deepEqual(
      podCIDRsOf({
        ...pod(),
        kind: 'Node',
        spec: { podCIDR: '10.42.1.0/24', podCIDRs: ['10.42.1.0/24', 'fd00:1::/64'] },
      }),
      ['10.42.1.0/24', 'fd00:1::/64'],
    );
    assert.deepEqual(podCIDRsOf(undefined), []);
  });

  it('names every reported IP outside the CIDRs, IPv4 and IPv6', () => {
    const cidrs = new PodIPRanges(['10.42.1.0/24', 'fd00:1::/64']);
    assert.deepEqual(ipsOutside(pod(), report('10.42.1.7', 'fd00:1::7'), cidrs), []);
    assert.deepEqual(ipsOutside(pod(), report('10.42.2.7'), cidrs), ['10.42.2.7']);
    assert.deepEqual(ipsOutside(pod(), report('10.42.1.7', 'fd00:2::7'), cidrs), ['fd00:2::7']);
    assert.equal(refusal(pod(), 'gw-1', report('192.168.1.10'), cidrs), 'ip-outside-pod-cidr');
    assert.equal(refusal(pod(), 'gw-1', report('10.42.1.10'), cidrs), undefined);
  });

  it('does not check host-network pods, nor a Node that has no pod CIDR yet', () => {
    assert.deepEqual(ipsOutside(pod(true), report('192.168.1.10'), new PodIPRanges(['10.42.1.0/24'])), []);
    assert.deepEqual(ipsOutside(pod(), report('192.168.1.10'), new PodIPRanges([])), []);
  });
});
