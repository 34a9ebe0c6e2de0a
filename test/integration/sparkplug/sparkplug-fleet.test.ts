import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { connectAsync, type MqttClient } from 'mqtt';
import type { RunningAgent } from '../../../edge-agent/agent.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../../helpers/eventually.js';
import { freePort } from '../../helpers/free-port.js';
import { tempDir } from '../../helpers/hub-process.js';
import { SparkplugHost } from '../../helpers/sparkplug-host.js';
import { writeRebirthCommand } from '../../helpers/sparkplug-wire.js';
import { startFakeGateway, startTestHub, type TestHub } from '../../helpers/test-hub.js';

const group = 'plant-1';
const hostId = `scada-${process.pid}`;
const device = 'default:deployment:web';

describe('Sparkplug B: the fleet as edge nodes and devices on the embedded broker', function () {
  this.timeout(60_000);
  const host = new SparkplugHost(group);
  const gateways = new Map<string, { agent: RunningAgent; dir: string }>();
  let t: TestHub;
  let scada: MqttClient | undefined;
  let mqttPort: number;

  /** The SCADA host's connection, as an Ignition/Node-RED host would open it: STATE Will, births read. */
  const connectHost = async () => {
    scada = await connectAsync(t.hub.mqtt.mqttUrl, {
      clientId: `scada-${process.pid}`,
      username: 'sparkplug',
      password: readFileSync(`${t.dataDir}/sparkplug-token`, 'utf8').trim(),
      ca: t.hub.caPem,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      will: {
        topic: `spBv1.0/STATE/${hostId}`,
        payload: Buffer.from(JSON.stringify({ online: false, timestamp: Date.now() })),
        qos: 1,
        retain: true,
      },
    });
    host.attach(scada);
    await scada.subscribeAsync(`spBv1.0/${group}/#`, { qos: 1 });
  };
  const setHostState = async (online: boolean) => {
    if (!online) host.hostOnline = false;
    await scada!.publishAsync(`spBv1.0/STATE/${hostId}`, JSON.stringify({ online, timestamp: Date.now() }), {
      qos: 1,
      retain: true,
    });
    if (online) host.hostOnline = true;
  };
  const startGateway = async (node: string) => {
    const dir = tempDir(`sp-${node}`);
    gateways.set(node, { agent: await startFakeGateway(t, node, new FakeRuntime(), dir), dir });
  };
  const stopGateway = async (node: string) => {
    const gw = gateways.get(node);
    gateways.delete(node);
    await gw?.agent.stop();
    if (gw) rmSync(gw.dir, { recursive: true, force: true });
  };
  const startHub = async (dataDir?: string) =>
    startTestHub(dataDir, {
      mqttPort,
      controllers: 'all',
      sparkplug: { group, hostId, coalesceMs: 20, lastSeenRefreshMs: 60_000 },
    });

  before(async () => {
    mqttPort = await freePort();
    t = await startHub();
    await connectHost();
  });

  after(async () => {
    await scada?.endAsync().catch(() => {});
    for (const node of [...gateways.keys()]) await stopGateway(node);
    await t?.close();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(host.violations.join('\n'));
  });

  it('publishes nothing while the primary host has not said it is online', async () => {
    await startGateway('gw-a');
    await startGateway('gw-b');
    // Both edge nodes are connected (and subscribed to the STATE topic) and hold back.
    const clients = () =>
      (t.hub.mqtt.broker.aedes as unknown as { clients: Record<string, unknown> }).clients;
    await eventually(() => clients()['hub:sparkplug:gw-a'] && clients()['hub:sparkplug:gw-b']);
    await eventually(async () => (await t.api.get('/api/v1/nodes/gw-b')).status === 200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(host.messages.length, 0, host.messages.map((m) => m.topic).join('\n'));
  });

  it('births every gateway with every metric once the primary host is online', async () => {
    await setHostState(true);
    await eventually(() => host.node('gw-a')?.online && host.node('gw-b')?.online);
    const a = host.node('gw-a')!;
    assert.equal(host.value('gw-a', 'Online'), true);
    assert.equal(host.value('gw-a', 'Node Control/Rebirth'), false);
    assert.equal(host.value('gw-a', 'Properties/Arch'), process.arch === 'x64' ? 'amd64' : process.arch);
    assert.equal(typeof host.value('gw-a', 'Capacity/Memory'), 'number');
    assert.equal(a.bdSeq, 0);
    assert.equal(
      host.count('NBIRTH', 'gw-a'),
      1,
      'one birth, not one per way of learning the host is online',
    );
    await eventually(() => host.value('gw-a', 'Conditions/Ready') === 'True');
    assert.deepEqual(host.violations, []);
  });

  it('births a device per workload and sends only what changes, by alias', async () => {
    const res = await t.api.post('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            nodeSelector: { 'kubernetes.io/hostname': 'gw-a' },
            containers: [{ name: 'web', image: 'docker.io/library/busybox:1.36' }],
          },
        },
      },
    });
    assert.equal(res.status, 201, res.text);
    await eventually(() => host.value('gw-a', 'Replicas/Ready', device) === 2, { timeoutMs: 20_000 });
    assert.equal(host.value('gw-a', 'Replicas/Desired', device), 2);
    assert.equal(host.value('gw-a', 'Available', device), true);
    assert.equal(host.value('gw-a', 'Images', device), 'docker.io/library/busybox:1.36');
    assert.equal(host.value('gw-a', 'Pods/Total'), 2);
    assert.ok(host.count('DDATA', 'gw-a') > 0, 'the pods becoming ready came as DDATA');
    assert.equal(host.node('gw-b')?.devices.size, 0);
    assert.deepEqual(host.violations, []);
  });

  it('answers an NCMD Node Control/Rebirth with new births on the same bdSeq', async () => {
    const before = host.node('gw-a')!;
    await scada!.publishAsync(`spBv1.0/${group}/NCMD/gw-a`, writeRebirthCommand(Date.now()), { qos: 0 });
    await eventually(
      () => host.node('gw-a')!.births === before.births + 1 && host.node('gw-a')!.devices.has(device),
    );
    assert.equal(host.node('gw-a')!.bdSeq, before.bdSeq);
    assert.equal(host.node('gw-b')!.births, 1);
    assert.deepEqual(host.violations, []);
  });

  it('answers a rebirth request that names the metric by its alias only', async () => {
    const view = host.node('gw-b')!;
    const alias = [...view.aliases].find(([, info]) => info.name === 'Node Control/Rebirth')?.[0];
    assert.notEqual(alias, undefined);
    await scada!.publishAsync(`spBv1.0/${group}/NCMD/gw-b`, writeRebirthCommand(Date.now(), alias), {
      qos: 0,
    });
    await eventually(() => host.node('gw-b')!.births === view.births + 1);
    assert.deepEqual(host.violations, []);
  });

  it('dies when the primary host goes offline and is born again, on a new bdSeq, when it is back', async () => {
    const bdSeq = host.node('gw-a')!.bdSeq!;
    await setHostState(false);
    await eventually(() => !host.node('gw-a')!.online && !host.node('gw-b')!.online);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await setHostState(true);
    await eventually(() => host.node('gw-a')!.online && host.node('gw-b')!.online);
    assert.equal(host.node('gw-a')!.bdSeq, bdSeq + 1);
    assert.ok(host.node('gw-a')!.devices.has(device));
    assert.deepEqual(host.violations, []);
  });

  it('sends DDEATH when the Deployment is deleted', async () => {
    const res = await t.api.delete('/apis/apps/v1/namespaces/default/deployments/web');
    assert.equal(res.status, 200, res.text);
    await eventually(() => !host.node('gw-a')!.devices.has(device), { timeoutMs: 20_000 });
    assert.ok(host.count('DDEATH', 'gw-a') >= 1);
    assert.equal(host.node('gw-a')!.online, true);
    assert.deepEqual(host.violations, []);
  });

  it('sends NDEATH with the birth bdSeq when a gateway goes offline', async () => {
    const deaths = host.node('gw-b')!.deaths;
    await stopGateway('gw-b');
    await eventually(() => host.node('gw-b')!.deaths === deaths + 1);
    assert.equal(host.node('gw-b')!.online, false);
    assert.equal(host.node('gw-a')!.online, true);
    assert.deepEqual(host.violations, []);
  });

  it('after a hub restart, births again with the next bdSeq', async () => {
    const bdSeq = host.node('gw-a')!.bdSeq!;
    await scada!.endAsync();
    t = await t.restart();
    await connectHost();
    await setHostState(true);
    await eventually(() => host.node('gw-a')!.online && host.node('gw-a')!.bdSeq !== bdSeq, {
      timeoutMs: 20_000,
    });
    assert.equal(host.node('gw-a')!.bdSeq, (bdSeq + 1) % 256);
    assert.equal(host.node('gw-b')!.online, false);
    assert.deepEqual(host.violations, []);
  });
});
