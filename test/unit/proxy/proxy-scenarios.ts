// One Service situation per scenario, on node gw-1 (pod CIDR 10.244.1.0/24, address
// 192.168.1.10), for the golden outputs of both rule builders.
import { aService, aSlice, type TestObject } from './proxy-builders.js';

export interface Scenario {
  name: string;
  services: TestObject[];
  slices: TestObject[];
}

const two = [
  { ip: '10.244.1.5', node: 'gw-1' },
  { ip: '10.244.2.7', node: 'gw-2' },
];

function nodePort(): TestObject {
  const svc = aService('web', '10.96.0.20', [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }]);
  svc.spec.type = 'NodePort';
  svc.spec.externalTrafficPolicy = 'Cluster';
  return svc;
}

function loadBalancer(): TestObject {
  const svc = aService('shop', '10.96.0.40', [{ port: 443, targetPort: 8443, nodePort: 31443 }]);
  svc.spec.type = 'LoadBalancer';
  svc.spec.externalTrafficPolicy = 'Cluster';
  svc.status = { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { hostname: 'lb.example' }] } };
  return svc;
}

function withExternalIPs(): TestObject {
  const svc = aService('gate', '10.96.0.30');
  svc.spec.externalIPs = ['192.168.1.10', '198.51.100.7'];
  svc.spec.externalTrafficPolicy = 'Cluster';
  return svc;
}

function sticky(): TestObject {
  const svc = aService('session', '10.96.0.50');
  svc.spec.sessionAffinity = 'ClientIP';
  svc.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 600 } };
  return svc;
}

function internalLocal(): TestObject {
  const svc = aService('metrics', '10.96.0.60', [{ port: 9100, protocol: 'TCP' }]);
  svc.spec.internalTrafficPolicy = 'Local';
  return svc;
}

function externalLocal(): TestObject {
  const svc = aService('ingress', '10.96.0.70', [{ port: 80, targetPort: 8080, nodePort: 30070 }]);
  svc.spec.type = 'LoadBalancer';
  svc.spec.externalTrafficPolicy = 'Local';
  svc.status = { loadBalancer: { ingress: [{ ip: '203.0.113.70' }] } };
  return svc;
}

function headless(): TestObject {
  const svc = aService('db', 'None', [{ port: 5432 }]);
  return svc;
}

function namedPorts(): TestObject {
  return aService('api', '10.96.0.80', [
    { name: 'http', port: 80, targetPort: 'web' },
    { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' },
  ]);
}

export const scenarios: Scenario[] = [
  {
    name: 'cluster-ip-two-endpoints',
    services: [aService('echo', '10.96.0.10')],
    slices: [aSlice('echo', two)],
  },
  { name: 'node-port', services: [nodePort()], slices: [aSlice('web', two, [{ name: 'http', port: 8080 }])] },
  { name: 'external-ips', services: [withExternalIPs()], slices: [aSlice('gate', two)] },
  {
    name: 'load-balancer-ingress',
    services: [loadBalancer()],
    slices: [aSlice('shop', two, [{ port: 8443 }])],
  },
  { name: 'affinity-client-ip', services: [sticky()], slices: [aSlice('session', two)] },
  {
    name: 'internal-traffic-local',
    services: [internalLocal()],
    slices: [aSlice('metrics', two, [{ port: 9100 }])],
  },
  {
    name: 'internal-traffic-local-none-here',
    services: [internalLocal()],
    slices: [aSlice('metrics', [{ ip: '10.244.2.7', node: 'gw-2' }], [{ port: 9100 }])],
  },
  {
    name: 'external-traffic-local',
    services: [externalLocal()],
    slices: [aSlice('ingress', two)],
  },
  {
    name: 'external-traffic-local-none-here',
    services: [externalLocal()],
    slices: [aSlice('ingress', [{ ip: '10.244.2.7', node: 'gw-2' }])],
  },
  { name: 'headless', services: [headless()], slices: [aSlice('db', two, [{ port: 5432 }])] },
  { name: 'no-endpoints', services: [nodePort()], slices: [aSlice('web', [], [])] },
  {
    name: 'named-target-ports',
    services: [namedPorts()],
    slices: [
      aSlice('api', two, [
        { name: 'http', port: 8080 },
        { name: 'dns', port: 5353, protocol: 'UDP' },
      ]),
    ],
  },
  {
    name: 'terminating-endpoints',
    services: [aService('rolling', '10.96.0.90'), aService('draining', '10.96.0.91')],
    slices: [
      // A ready endpoint exists: the terminating one gets no new connections.
      aSlice('rolling', [
        { ip: '10.244.1.5', node: 'gw-1' },
        { ip: '10.244.1.6', node: 'gw-1', ready: false, serving: true, terminating: true },
      ]),
      // None is ready: the ones still serving while they terminate take the traffic.
      aSlice('draining', [
        { ip: '10.244.1.8', node: 'gw-1', ready: false, serving: true, terminating: true },
        { ip: '10.244.1.9', node: 'gw-1', ready: false, serving: false, terminating: true },
      ]),
    ],
  },
];

/** Every scenario at once (names are distinct), for the complete rulesets. */
export const everything: Scenario = {
  name: 'everything',
  services: scenarios
    .filter((s) => !s.name.endsWith('-none-here') && s.name !== 'no-endpoints')
    .flatMap((s) => s.services),
  slices: scenarios
    .filter((s) => !s.name.endsWith('-none-here') && s.name !== 'no-endpoints')
    .flatMap((s) => s.slices),
};
