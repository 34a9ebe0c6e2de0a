// By-hand measurement of the desired-state protocol's cost on the wire (not a benchmark of speed,
// not run by bench/run.ts): an in-process hub on loopback, N raw MQTT gateways speaking the
// protocol from firmware-notes/protocol.md (register, subscribe, resync, ack, and once the own
// state names a segment: subscribe to its routes, then ask for them), 20 per site, and
// a cluster with Services and EndpointSlices. It prints
//   - the desired-state bytes one more gateway receives to join a fleet of N, and the bytes all
//     the other gateways receive because of that join;
//   - the bytes on the wire for one Service change, against the size of that Service's message.
// Usage: npx tsx bench/desired-state-bytes.ts [N ...]   (default: 100 400)
import { connectAsync, type MqttClient } from 'mqtt';
import { silentLogger } from '../api/logger.js';
import { agentConnectFields, agentSubscriptions, segmentSubscription } from '../api/mqtt/agent-session.js';
import { decodePayload, encodePayload } from '../api/mqtt/codec.js';
import { payloadExamples } from '../api/mqtt/payload-examples.js';
import { podRoutesDigest } from '../api/mqtt/payloads/pod-routes.js';
import { buildTopic, routes } from '../api/mqtt/route-table.js';
import { startHub } from '../hub/main.js';
import { ApiClient } from '../test/helpers/api-client.js';
import { eventually } from '../test/helpers/eventually.js';
import { tempDir } from '../test/helpers/hub-process.js';

const perSite = 20;
const services = 20;

interface Gw {
  node: string;
  client: MqttClient;
  bytes: number;
  messages: number;
  byTopic: Map<string, number>;
  segmentSubscribed: boolean;
}

async function quiet(gws: Gw[], ms = 1500): Promise<void> {
  let last = -1;
  for (;;) {
    const total = gws.reduce((sum, g) => sum + g.messages, 0);
    if (total === last) return;
    last = total;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

async function gateway(
  mqttUrl: string,
  ca: string,
  token: string,
  index: number,
  site = `hall-${Math.floor(index / perSite)}`,
): Promise<Gw> {
  const node = `gw-${index}`;
  const client = await connectAsync(mqttUrl, {
    ...agentConnectFields(node, token, `key-${index}-${'k'.repeat(32)}`),
    reconnectPeriod: 0,
    ca,
  });
  const gw: Gw = { node, client, bytes: 0, messages: 0, byTopic: new Map(), segmentSubscribed: false };
  client.on('message', (topic, payload) => {
    gw.bytes += payload.byteLength + topic.length;
    gw.byTopic.set(topic, (gw.byTopic.get(topic) ?? 0) + payload.byteLength + topic.length);
    gw.messages++;
    const desired = topic === buildTopic(routes.desired, { node }) && decodePayload(routes.desired, payload);
    if (desired !== false && desired.ok) {
      void client.publishAsync(
        buildTopic(routes.ack, { node }),
        encodePayload({ revision: desired.value.revision, observedAt: Date.now() }),
        { qos: 1 },
      );
      const segment = desired.value.segment;
      if (segment && !gw.segmentSubscribed) {
        gw.segmentSubscribed = true;
        // Holding no route yet: the digest of none, answered with the segment's whole set.
        void client
          .subscribeAsync(segmentSubscription(segment).filter, { qos: 1 })
          .then(() =>
            client.publishAsync(
              buildTopic(routes.routesResync, { node }),
              encodePayload({ segment, digest: podRoutesDigest([]) }),
              { qos: 1 },
            ),
          );
      }
    }
  });
  const example = structuredClone(payloadExamples.register);
  const registration = {
    ...example,
    observedAt: Date.now(),
    labels: { ...example.labels, 'kubernetes.io/hostname': node, 'flotilla.io/site': site },
    taints: [],
    addresses: [{ type: 'InternalIP', address: `192.168.${Math.floor(index / 250)}.${(index % 250) + 1}` }],
  };
  await client.publishAsync(buildTopic(routes.register, { node }), encodePayload(registration), { qos: 1 });
  await client.subscribeAsync(
    Object.fromEntries(agentSubscriptions(node).map((s) => [s.filter, { qos: 1 }])),
  );
  await client.publishAsync(
    buildTopic(routes.resync, { node }),
    encodePayload({ observedAt: Date.now(), reason: 'no desired state yet' }),
    { qos: 1 },
  );
  return gw;
}

function aService(i: number, port = 80): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}`, namespace: 'default', labels: { app: `app-${i}` } },
    spec: {
      selector: { app: `app-${i}` },
      ports: [{ name: 'http', port, targetPort: 8080, protocol: 'TCP' }],
    },
  };
}

function aSlice(i: number): Record<string, unknown> {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `svc-${i}-a`,
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': `svc-${i}` },
    },
    addressType: 'IPv4',
    endpoints: [1, 2, 3].map((n) => ({ addresses: [`10.42.${n}.${i + 2}`], conditions: { ready: true } })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

async function measure(n: number): Promise<Record<string, number>> {
  const hub = await startHub({
    dataDir: tempDir('bytes'),
    bind: '127.0.0.1',
    apiPort: 0,
    serviceCIDR: '10.43.0.0/16',
    nodePortRange: '30000-32767',
    mqttPort: 0,
    syncCoalesceMs: 20,
    controllers: { only: ['namespace', 'node-ipam'], clusterCIDR: '10.0.0.0/8' },
    log: silentLogger,
  });
  const api = new ApiClient(hub.apiUrl, hub.caPem, hub.adminToken);
  const token = hub.mqtt.joinString.split('::')[0]!;
  try {
    for (let i = 0; i < services; i++) {
      await api.post('/api/v1/namespaces/default/services', aService(i));
      await api.post('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', aSlice(i));
    }
    const fleet: Gw[] = [];
    for (let i = 0; i < n; i++) fleet.push(await gateway(hub.mqtt.mqttUrl, hub.caPem, token, i));
    await eventually(() => fleet.every((g) => g.segmentSubscribed), { timeoutMs: 120_000 });
    await quiet(fleet);
    const before = fleet.reduce((sum, g) => sum + g.bytes, 0);
    // Joins a site that already has perSite gateways.
    const joiner = await gateway(hub.mqtt.mqttUrl, hub.caPem, token, n, 'hall-0');
    await eventually(() => joiner.segmentSubscribed, { timeoutMs: 60_000 });
    await quiet([...fleet, joiner]);
    const others = fleet.reduce((sum, g) => sum + g.bytes, 0) - before;
    const all = [...fleet, joiner];
    const serviceTopic = buildTopic(routes.service, { namespace: 'default', name: 'svc-3' });
    const onTopic = (g: Gw) => g.byTopic.get(serviceTopic) ?? 0;
    const topicBefore = all.map(onTopic);
    const beforeChange = all.reduce((sum, g) => sum + g.bytes, 0);
    await api.patch(
      '/api/v1/namespaces/default/services/svc-3',
      aService(3, 81),
      'application/merge-patch+json',
    );
    await quiet(all);
    const change = all.reduce((sum, g) => sum + g.bytes, 0) - beforeChange;
    const increases = all.map((g, i) => onTopic(g) - topicBefore[i]!);
    for (const g of all) await g.client.endAsync(true);
    return {
      gateways: n,
      joinBytes: joiner.bytes,
      joinMessages: joiner.messages,
      othersBytesForJoin: others,
      serviceChangeBytes: change,
      serviceChangePerGateway: Math.round(change / all.length),
      serviceMessageBytes: Math.max(...increases),
      gatewaysGotServiceChange: increases.filter((b) => b > 0).length,
      serviceChangeOtherTopicsBytes: change - increases.reduce((a, b) => a + b, 0),
    };
  } finally {
    await hub.stop();
  }
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((x) => x > 0);
for (const n of sizes.length > 0 ? sizes : [100, 400]) console.log(JSON.stringify(await measure(n)));
process.exit(0);
