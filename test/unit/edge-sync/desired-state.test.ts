import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { trimForAgent } from '../../../hub/edge-sync/agent-forms.js';
import {
  desiredContentFor,
  podNetworkOf,
  podReferences,
  podRouteOf,
  trimService,
} from '../../../hub/edge-sync/desired-state.js';
import { segmentOf } from '../../../hub/edge-sync/segments.js';
import { aPod } from '../../helpers/builders.js';

function obj(kind: string, name: string, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind, metadata: { name, namespace: 'default', resourceVersion: '7' }, ...extra };
}

describe('desired state of a gateway', () => {
  it('finds config maps and secrets referenced from env, envFrom, volumes and pull secrets', () => {
    const pod = aPod();
    pod.spec.initContainers = [
      { name: 'init', image: 'busybox', envFrom: [{ secretRef: { name: 's-init' } }] },
    ];
    pod.spec.containers[0].env = [
      { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm-env', key: 'a' } } },
      { name: 'B', valueFrom: { secretKeyRef: { name: 's-env', key: 'b' } } },
      { name: 'C', value: 'plain' },
    ];
    pod.spec.containers[0].envFrom = [{ configMapRef: { name: 'cm-from' } }];
    pod.spec.volumes = [
      { name: 'v1', configMap: { name: 'cm-vol' } },
      { name: 'v2', secret: { secretName: 's-vol' } },
      {
        name: 'v3',
        projected: { sources: [{ configMap: { name: 'cm-proj' } }, { secret: { name: 's-proj' } }] },
      },
      { name: 'v4', emptyDir: {} },
    ];
    pod.spec.imagePullSecrets = [{ name: 's-pull' }];
    const refs = podReferences(pod);
    assert.deepEqual([...refs.configMaps].sort(), ['cm-env', 'cm-from', 'cm-proj', 'cm-vol']);
    assert.deepEqual([...refs.secrets].sort(), ['s-env', 's-init', 's-proj', 's-pull', 's-vol']);
  });

  it('drops status, resourceVersion, managedFields and the last-applied annotation', () => {
    const pod = aPod() as KubeObject;
    pod.metadata.resourceVersion = '12';
    pod.metadata.managedFields = [{}];
    pod.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' };
    pod.status = { phase: 'Running' };
    const trimmed = trimForAgent(Object.freeze(pod));
    assert.equal(trimmed.status, undefined);
    assert.equal(trimmed.metadata.resourceVersion, undefined);
    assert.equal(trimmed.metadata.managedFields, undefined);
    assert.deepEqual(trimmed.metadata.annotations, { keep: 'me' });
    assert.equal(pod.metadata.resourceVersion, '12', 'the input is not changed');
  });

  it('includes only the referenced objects that exist, in a stable order', () => {
    const b = aPod('b');
    b.spec.containers[0].envFrom = [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'missing' } }];
    const a = aPod('a');
    const configMaps = new Map([['default/cfg', obj('ConfigMap', 'cfg', { data: { k: 'v' } })]]);
    const lookup = {
      configMap: (ns: string, name: string) => configMaps.get(`${ns}/${name}`),
      secret: () => undefined,
    };
    const content = desiredContentFor('gw-1', [b, a], lookup);
    assert.deepEqual(
      content.pods.map((p) => p.metadata.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      content.configMaps.map((c) => c.data),
      [{ k: 'v' }],
    );
    assert.deepEqual(content.secrets, []);
    // Services and EndpointSlices are shared state, never copied into a gateway's own.
    assert.equal('services' in content, false);
    const again = desiredContentFor('gw-1', [a, b], lookup);
    assert.equal(JSON.stringify(again), JSON.stringify(content));
  });

  it("carries the Node's IPv4 pod CIDR, falling back to podCIDRs, and nothing without one", () => {
    const aNodeWith = (spec: Record<string, unknown>) => obj('Node', 'gw', { spec });
    assert.deepEqual(podNetworkOf(aNodeWith({ podCIDR: '10.42.3.0/24', podCIDRs: ['10.42.3.0/24'] })), {
      podCIDR: '10.42.3.0/24',
      podCIDRs: ['10.42.3.0/24'],
    });
    assert.deepEqual(
      podNetworkOf(aNodeWith({ podCIDR: 'fd00::/64', podCIDRs: ['fd00::/64', '10.42.4.0/24'] })),
      {
        podCIDR: '10.42.4.0/24',
        podCIDRs: ['fd00::/64', '10.42.4.0/24'],
      },
    );
    assert.deepEqual(podNetworkOf(aNodeWith({})), {});
    assert.deepEqual(podNetworkOf(undefined), {});
    const content = desiredContentFor(
      'gw',
      [],
      { configMap: () => undefined, secret: () => undefined },
      {
        podCIDR: '10.42.3.0/24',
      },
      'ipv4-172.31.0.0-24',
    );
    assert.equal(content.podCIDR, '10.42.3.0/24');
    assert.equal(content.segment, 'ipv4-172.31.0.0-24');
  });

  it("gives a node's pod route only with a pod CIDR and an IPv4 InternalIP, via that address", () => {
    const node = (name: string, podCIDR: string | undefined, addresses: Array<[string, string]>) =>
      obj('Node', name, {
        spec: podCIDR ? { podCIDR } : {},
        status: { addresses: addresses.map(([type, address]) => ({ type, address })) },
      });
    assert.deepEqual(
      podRouteOf(
        node('gw-3', '10.42.3.0/24', [
          ['Hostname', 'gw-3'],
          ['InternalIP', 'fd00::3'],
          ['InternalIP', '172.31.0.13'],
        ]),
      ),
      { node: 'gw-3', podCIDR: '10.42.3.0/24', via: '172.31.0.13' },
    );
    assert.equal(podRouteOf(node('gw-4', undefined, [['InternalIP', '172.31.0.14']])), undefined);
    assert.equal(podRouteOf(node('gw-5', '10.42.5.0/24', [['ExternalIP', '203.0.113.5']])), undefined);
  });

  it('puts a node in the segment of its flotilla.io/site label, else of the /24 of its InternalIP', () => {
    const node = (labels: Record<string, string>, ip?: string) =>
      obj('Node', 'gw', {
        metadata: { name: 'gw', labels },
        status: { addresses: ip ? [{ type: 'InternalIP', address: ip }] : [] },
      });
    assert.equal(segmentOf(node({ 'flotilla.io/site': 'hall-3' }, '172.31.0.13')), 'site-hall-3');
    assert.equal(segmentOf(node({}, '172.31.0.13')), 'ipv4-172.31.0.0-24');
    assert.equal(segmentOf(node({}, '172.31.0.250')), segmentOf(node({}, '172.31.0.1')));
    assert.notEqual(segmentOf(node({}, '172.31.1.1')), segmentOf(node({}, '172.31.0.1')));
    assert.equal(segmentOf(node({})), undefined);
  });

  it("keeps a Service's load balancer ingress IPs and drops the rest of its status", () => {
    const service = obj('Service', 'web', {
      spec: { type: 'LoadBalancer', clusterIP: '10.96.0.9' },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.7' }] }, conditions: [] },
    });
    assert.deepEqual(trimService(service).status, { loadBalancer: { ingress: [{ ip: '192.0.2.7' }] } });
    const plain = obj('Service', 'plain', { spec: { clusterIP: '10.96.0.8' }, status: { loadBalancer: {} } });
    assert.equal(trimService(plain).status, undefined);
  });
});

describe('desired state with a malformed pod already stored', () => {
  const lookup = { configMap: () => undefined, secret: () => undefined };

  it('leaves that pod out alone and hands it to the failure callback', () => {
    const good = aPod('good');
    const broken = { ...aPod('broken'), metadata: null } as unknown as KubeObject;
    const failed: string[] = [];
    const content = desiredContentFor('gw', [broken, good], lookup, {}, undefined, (_pod, err) =>
      failed.push((err as Error).message),
    );
    assert.deepEqual(
      content.pods.map((p) => p.metadata.name),
      ['good'],
    );
    assert.equal(failed.length, 1);
  });

  it('reads references past null containers and env entries', () => {
    const pod = aPod();
    pod.spec.containers = [null, { name: 'a', image: 'x', env: [null], envFrom: [null] }];
    pod.spec.volumes = [null];
    assert.deepEqual(podReferences(pod), { configMaps: new Set(), secrets: new Set() });
  });
});
