import assert from 'node:assert/strict';
import { desiredSlices, planSlices } from '../../../hub/controllers/endpoints/endpoint-slices.js';
import { endpointSubsets } from '../../../hub/controllers/endpoints/endpoint-subsets.js';
import { resolveTargetPort, type Service } from '../../../hub/controllers/endpoints/service-pods.js';
import type { Node, Pod } from '../../../hub/controllers/objects/kinds.js';

const service = (spec: NonNullable<Service['spec']> = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' },
  spec: {
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    ...spec,
  },
});

const pod = (
  name: string,
  ip: string | undefined,
  options: {
    ready?: boolean;
    port?: number;
    app?: string;
    phase?: string;
    deleting?: boolean;
    node?: string;
  } = {},
): Pod => ({
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    labels: { app: options.app ?? 'web' },
    ...(options.deleting ? { deletionTimestamp: '2025-06-01T00:00:00Z' } : {}),
  },
  spec: {
    ...(options.node ? { nodeName: options.node } : {}),
    containers: [
      { name: 'c', ports: [{ name: 'http', containerPort: options.port ?? 8080, protocol: 'TCP' }] },
    ],
  },
  status: {
    phase: options.phase ?? 'Running',
    ...(ip ? { podIP: ip } : {}),
    conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
  },
});

describe('Endpoints computation', () => {
  it('resolves a named target port per pod, and numbers as they are', () => {
    assert.equal(
      resolveTargetPort({ port: 80, targetPort: 'http' }, pod('a', '10.0.0.1', { port: 9000 })),
      9000,
    );
    assert.equal(
      resolveTargetPort({ port: 80, targetPort: 'http', protocol: 'UDP' }, pod('a', '10.0.0.1')),
      undefined,
    );
    assert.equal(resolveTargetPort({ port: 80, targetPort: 8443 }, pod('a', '10.0.0.1')), 8443);
    assert.equal(resolveTargetPort({ port: 80 }, pod('a', '10.0.0.1')), 80);
  });

  it('puts ready pods under addresses, the rest under notReadyAddresses, grouped by resolved ports', () => {
    const pods = [
      pod('b', '10.42.0.10', { port: 8080, node: 'gw-1' }),
      pod('a', '10.42.0.9', { port: 8080, ready: false }),
      pod('c', '10.42.0.11', { port: 9090 }),
      pod('no-ip', undefined),
      pod('other', '10.42.0.12', { app: 'db' }),
      pod('done', '10.42.0.13', { phase: 'Succeeded' }),
      pod('leaving', '10.42.0.14', { deleting: true }),
    ];
    assert.deepEqual(endpointSubsets(service(), pods), [
      {
        addresses: [
          {
            ip: '10.42.0.10',
            nodeName: 'gw-1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' },
          },
        ],
        notReadyAddresses: [
          { ip: '10.42.0.9', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
      {
        addresses: [
          { ip: '10.42.0.11', targetRef: { kind: 'Pod', namespace: 'default', name: 'c', uid: 'uid-c' } },
        ],
        ports: [{ name: 'http', port: 9090, protocol: 'TCP' }],
      },
    ]);
  });

  it('publishes unready and terminating pods as ready with publishNotReadyAddresses', () => {
    const pods = [pod('a', '10.42.0.9', { ready: false }), pod('b', '10.42.0.10', { deleting: true })];
    const [subset] = endpointSubsets(service({ publishNotReadyAddresses: true }), pods);
    assert.deepEqual(
      subset?.addresses?.map((a) => a.ip),
      ['10.42.0.9', '10.42.0.10'],
    );
    assert.equal(subset?.notReadyAddresses, undefined);
  });

  it('gives a headless service without ports bare addresses, and ExternalName none', () => {
    const headless = service({ clusterIP: 'None', ports: [] });
    assert.deepEqual(
      endpointSubsets(headless, [pod('a', '10.42.0.9')]).map((s) => [s.addresses?.length, s.ports]),
      [[1, undefined]],
    );
    assert.deepEqual(endpointSubsets(service({ type: 'ExternalName' }), [pod('a', '10.42.0.9')]), []);
  });
});

describe('EndpointSlice computation', () => {
  const nodes = new Map<string, Node>([
    ['gw-1', { metadata: { name: 'gw-1', labels: { 'topology.kubernetes.io/zone': 'hall-3' } } }],
  ]);

  it('keeps terminating pods with their conditions, and the zone of their node', () => {
    const pods = [
      pod('a', '10.42.0.9', { node: 'gw-1' }),
      pod('b', '10.42.0.10', { deleting: true }),
      pod('c', '10.42.0.11', { ready: false }),
    ];
    const [slice] = desiredSlices(service(), pods, nodes, 100);
    assert.deepEqual(slice?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(
      slice?.endpoints.map((e) => [e.addresses[0], e.conditions, e.zone]),
      [
        ['10.42.0.9', { ready: true, serving: true, terminating: false }, 'hall-3'],
        ['10.42.0.10', { ready: false, serving: true, terminating: true }, undefined],
        ['10.42.0.11', { ready: false, serving: false, terminating: false }, undefined],
      ],
    );
  });

  it('cuts endpoints into slices of at most 100, and keeps one empty slice for none', () => {
    const pods = Array.from({ length: 250 }, (_, i) =>
      pod(`p${i}`, `10.42.${Math.floor(i / 200)}.${i % 200}`),
    );
    assert.deepEqual(
      desiredSlices(service(), pods, nodes, 100).map((s) => s.endpoints.length),
      [100, 100, 50],
    );
    assert.deepEqual(desiredSlices(service(), [], nodes, 100), [{ ports: [], endpoints: [] }]);
  });

  it('reuses slices that already match, rewrites others, and deletes the rest', () => {
    const [a, b] = desiredSlices(
      service(),
      [pod('a', '10.42.0.9'), pod('b', '10.42.0.10', { port: 9090 })],
      nodes,
      100,
    );
    const existing = [
      { metadata: { name: 's1' }, ...b },
      { metadata: { name: 's2' }, ports: a!.ports, endpoints: [] },
      { metadata: { name: 's3' }, ports: [], endpoints: [] },
    ];
    const plan = planSlices([a!, b!], existing);
    assert.deepEqual(plan.create, []);
    assert.deepEqual(
      plan.update.map((u) => [u.slice.metadata.name, u.content]),
      [['s2', a]],
    );
    assert.deepEqual(plan.delete, ['s3']);
  });
});
