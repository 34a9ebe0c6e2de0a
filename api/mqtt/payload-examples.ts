// One example payload per route: shown in firmware-notes/protocol.md and checked against the
// route's validator by the unit tests, so the document never shows a payload the hub refuses.
import { protocolVersion } from './payloads/desired-state.js';
import type { PayloadOf, RouteName, routes } from './route-table.js';

type Examples = { [K in RouteName]: PayloadOf<(typeof routes)[K]> };

const t = 1735689600000; // 2025-01-01T00:00:00Z
const iso = '2025-01-01T00:00:00Z';
const reply = 'flotilla/v1/nodes/gw-17/replies/r-42';

export const payloadExamples: Examples = {
  register: {
    observedAt: t,
    labels: { 'kubernetes.io/arch': 'arm64', 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': 'gw-17' },
    capacity: { cpu: '4', memory: '3882Mi', pods: '110', 'ephemeral-storage': '29Gi' },
    allocatable: { cpu: '3800m', memory: '3500Mi', pods: '110', 'ephemeral-storage': '27Gi' },
    nodeInfo: {
      architecture: 'arm64',
      operatingSystem: 'linux',
      kernelVersion: '6.6.31-v8+',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'containerd://1.7.24',
      kubeletVersion: 'flotilla-agent/0.1.0',
    },
    addresses: [
      { type: 'InternalIP', address: '192.168.10.17' },
      { type: 'Hostname', address: 'gw-17' },
    ],
    agentVersion: '0.1.0',
    hardwareModel: 'Raspberry Pi 4 Model B Rev 1.4',
    protocol: protocolVersion,
  },
  heartbeat: { t, s: 8121 },
  nodeStatus: {
    observedAt: t,
    conditions: [
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'agent is posting ready status' },
      { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
    ],
    allocatable: { cpu: '3800m', memory: '3500Mi', pods: '110' },
  },
  podStatus: {
    items: [
      {
        namespace: 'default',
        name: 'sensor-reader-7d9f-x2k4p',
        uid: '0b6f7c3e-5a1d-4c8e-9f00-2b7d1e3c4a55',
        observedAt: t,
        // Stored whole: every field a kubelet would set comes from the gateway.
        status: {
          phase: 'Running',
          conditions: ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready'].map(
            (type) => ({
              type,
              status: 'True' as const,
              lastProbeTime: null,
              lastTransitionTime: iso,
            }),
          ),
          hostIP: '192.168.10.17',
          hostIPs: [{ ip: '192.168.10.17' }],
          podIP: '10.42.17.5',
          podIPs: [{ ip: '10.42.17.5' }],
          startTime: iso,
          containerStatuses: [
            {
              name: 'reader',
              ready: true,
              started: true,
              restartCount: 0,
              image: 'registry.local/sensor-reader:1.4',
              imageID: 'registry.local/sensor-reader@sha256:9b2c…',
              containerID: 'containerd://4f1e…',
              state: { running: { startedAt: iso } },
            },
          ],
        },
      },
    ],
  },
  events: {
    items: [
      {
        involvedObject: {
          kind: 'Pod',
          namespace: 'default',
          name: 'sensor-reader-7d9f-x2k4p',
          fieldPath: 'spec.containers{reader}',
        },
        type: 'Normal',
        reason: 'Started',
        message: 'Started container reader',
        observedAt: t,
      },
    ],
  },
  ack: { revision: 5120, observedAt: t },
  resync: {
    observedAt: t,
    appliedRevision: 5117,
    appliedDigest: 'dGmUeRUD1Shl8l3lDT2nL0CzyJ8',
    reason: 'connected',
  },
  routesResync: { segment: 'site-hall-3', digest: 'ni3fT6M2q2WQEVIw_zLtmtwx9KOBzy3bTHT5EpxP9mY' },
  presence: { state: 'online', since: t, agentVersion: '0.1.0' },
  reply: { id: 'r-42', seq: 0, stream: 'stdout', data: 'listening on :8080\n', end: false },
  desired: {
    protocol: protocolVersion,
    revision: 5120,
    node: 'gw-17',
    pods: [],
    configMaps: [],
    secrets: [],
    podCIDR: '10.42.17.0/24',
    podCIDRs: ['10.42.17.0/24'],
    segment: 'ipv4-192.168.10.0-24',
    digest: 'k3JTdYz0m3k8bUO0d0vU9cQ0w0E',
  },
  desiredDelta: {
    protocol: protocolVersion,
    node: 'gw-17',
    from: 5120,
    revision: 5131,
    set: {
      pods: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: 'sensor-reader-7d9f-x2k4p',
            namespace: 'default',
            uid: '6f1c2d9e-0b7a-4c1e-9a53-2f8e1d4b7c60',
            labels: { app: 'sensor-reader' },
          },
          spec: {
            nodeName: 'gw-17',
            containers: [
              {
                name: 'reader',
                image: 'registry.local/sensor-reader:1.4',
                envFrom: [{ configMapRef: { name: 'reader-config' } }],
              },
            ],
          },
        },
      ],
      configMaps: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'reader-config', namespace: 'default', uid: '0d3e…' },
          data: { INTERVAL: '5s' },
        },
      ],
    },
    removed: { pods: ['default/sensor-reader-7d9f-q8m2z'] },
    digest: 'Hq1vQ0Zr6m2W2P8mS1c7Zb5Xv9A',
  },
  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'mqtt-bridge', namespace: 'plant', uid: 'c0a8…', resourceVersion: '5107' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.43.0.17',
      clusterIPs: ['10.43.0.17'],
      selector: { app: 'mqtt-bridge' },
      ports: [{ name: 'mqtt', protocol: 'TCP', port: 1883, targetPort: 1883 }],
    },
  },
  endpointSlice: {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'mqtt-bridge-x7k2p',
      namespace: 'plant',
      labels: { 'kubernetes.io/service-name': 'mqtt-bridge' },
      resourceVersion: '5119',
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.42.17.4'], conditions: { ready: true }, nodeName: 'gw-17' }],
    ports: [{ name: 'mqtt', protocol: 'TCP', port: 1883 }],
  },
  podRoute: { node: 'gw-18', podCIDR: '10.42.18.0/24', via: '192.168.10.18' },
  routeSet: {
    segment: 'site-hall-3',
    digest: 'P4dZ-72COEq0rX64fSdOE5ACGDLvYslNwwTD2sXMDk8',
    routes: [
      { node: 'gw-18', podCIDR: '10.42.18.0/24', via: '192.168.10.18' },
      { node: 'gw-19', podCIDR: '10.42.19.0/24', via: '192.168.10.19' },
    ],
  },
  logsRequest: {
    id: 'r-42',
    replyTo: reply,
    namespace: 'default',
    pod: 'sensor-reader-7d9f-x2k4p',
    container: 'reader',
    follow: true,
    tailLines: 100,
  },
  execRequest: {
    id: 'r-43',
    replyTo: 'flotilla/v1/nodes/gw-17/replies/r-43',
    namespace: 'default',
    pod: 'sensor-reader-7d9f-x2k4p',
    command: ['sh'],
    stdin: true,
    tty: true,
  },
  attachRequest: {
    id: 'r-45',
    replyTo: 'flotilla/v1/nodes/gw-17/replies/r-45',
    namespace: 'default',
    pod: 'console',
    stdin: true,
    tty: true,
  },
  portForwardRequest: {
    id: 'r-46',
    replyTo: 'flotilla/v1/nodes/gw-17/replies/r-46',
    namespace: 'default',
    pod: 'sensor-reader-7d9f-x2k4p',
    port: 8080,
  },
  metricsRequest: { id: 'r-44', replyTo: 'flotilla/v1/nodes/gw-17/replies/r-44', scope: 'pods' },
  cancelRequest: { id: 'r-42' },
  tokenRequest: {
    id: 't-7',
    namespace: 'default',
    pod: 'sensor-reader-7d9f-x2k4p',
    uid: '6f1c2b1e-1f4c-4f3e-9b7a-2d0c5e8a9f10',
    expirationSeconds: 3607,
  },
  tokenReply: {
    id: 't-7',
    token: 'eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiJ9.eyJpc3MiOiIuLi4ifQ.c2ln',
    expirationTimestamp: 1796670479000,
  },
  refused: {
    route: 'podStatus',
    refused: [
      {
        index: 3,
        reason:
          'items[3].status.phase: Unsupported value: "Runnin": supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"',
      },
    ],
  },
  stdin: { id: 'r-43', seq: 0, data: 'ls /\n' },
  apiRequest: {
    id: 'a-7',
    method: 'GET',
    path: '/api/v1/namespaces/line-3/configmaps?limit=500',
    headers: { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.…', accept: 'application/json' },
  },
  apiCancel: { id: 'a-8' },
  servingCertRequest: {
    publicKeyPem:
      '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…\n-----END PUBLIC KEY-----\n',
  },
  apiReply: {
    id: 'a-7',
    seq: 0,
    status: 200,
    headers: { 'content-type': 'application/json' },
    data: '{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"8812"},"items":[]}',
    end: true,
  },
  servingCert: {
    certPem: '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n',
    caPem: '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n',
    clusterIP: '10.96.0.1',
  },
  nodeSummary: {
    ready: 'True',
    online: true,
    arch: 'arm64',
    site: 'hall-3',
    zone: 'plant-north',
    lastSeen: t - 3_600_000,
    pods: 3,
    running: 3,
    revision: 5120,
    applied: 5120,
    updated: t,
  },
  workloadSummary: { desired: 2, pods: 2, ready: 2, nodes: ['gw-17', 'gw-18'], updated: t },
};
