// The hub publishing Sparkplug B to a plant broker (Debian's mosquitto), and what a SCADA host
// on that broker sees when the hub process is killed: every edge node's NDEATH, from the Wills
// the broker holds, with the bdSeq of its NBIRTH; and after the hub's restart, births again on
// the next bdSeq.
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { silentLogger } from '../../api/logger.js';
import { type RunningAgent, startAgent } from '../../edge-agent/agent.js';
import { FakeRuntime } from '../../edge-agent/runtime/fake-runtime.js';
import { skipSuiteUnless } from '../helpers/environment.js';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess, tempDir } from '../helpers/hub-process.js';
import { type Mosquitto, mosquittoBin, startMosquitto } from '../helpers/mosquitto.js';
import { SparkplugHost } from '../helpers/sparkplug-host.js';

const group = 'plant-e2e';
const hostId = `scada-e2e-${process.pid}`;

describe('Sparkplug B to a plant broker (mosquitto): a hub crash is every edge node’s NDEATH', function () {
  this.timeout(60_000);
  const host = new SparkplugHost(group);
  const agents: { agent: RunningAgent; dir: string }[] = [];
  let broker: Mosquitto | undefined;
  let hub: HubProcess | undefined;
  let scada: MqttClient | undefined;
  let hubDir: string;
  let args: string[];

  before(async function () {
    skipSuiteUnless(this, existsSync(mosquittoBin) ? [] : ['mosquitto not installed']);
    broker = await startMosquitto({ flotilla: 'hub-secret', scada: 'scada-secret' });
    hubDir = tempDir('sp-e2e');
    const passwordFile = join(hubDir, '..', `sp-e2e-pw-${process.pid}`);
    writeFileSync(passwordFile, 'hub-secret\n');
    // The primary host is online before the hub starts: its retained STATE is what the edge nodes find.
    scada = await connectAsync(broker.url, {
      clientId: hostId,
      username: 'scada',
      password: 'scada-secret',
      protocolVersion: 4,
      clean: true,
      will: {
        topic: `spBv1.0/STATE/${hostId}`,
        payload: Buffer.from(JSON.stringify({ online: false, timestamp: Date.now() })),
        qos: 1,
        retain: true,
      },
    });
    host.attach(scada);
    await scada.subscribeAsync(`spBv1.0/${group}/#`, { qos: 1 });
    await scada.publishAsync(
      `spBv1.0/STATE/${hostId}`,
      JSON.stringify({ online: true, timestamp: Date.now() }),
      {
        qos: 1,
        retain: true,
      },
    );
    args = [
      '--sparkplug-group',
      group,
      '--sparkplug-host-id',
      hostId,
      '--sparkplug-broker',
      broker.url,
      '--sparkplug-username',
      'flotilla',
      '--sparkplug-password-file',
      passwordFile,
    ];
    hub = await startHubProcess(hubDir, args);
    args.push('--mqtt-port', new URL(hub.mqttUrl).port);
    for (const node of ['gw-p1', 'gw-p2']) {
      const dir = tempDir(`sp-e2e-${node}`);
      const agent = await startAgent({
        hubUrl: hub.mqttUrl,
        token: hub.nodeToken,
        nodeName: node,
        dataDir: dir,
        runtime: { kind: 'instance', runtime: new FakeRuntime() },
        timing: {
          heartbeatMs: 500,
          statusCheckMs: 500,
          reconnect: { initialMs: 100, maxMs: 500, jitter: 0 },
        },
        log: silentLogger,
      });
      agents.push({ agent, dir });
    }
  });

  after(async () => {
    for (const { agent, dir } of agents) {
      await agent.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
    await hub?.stop();
    await scada?.endAsync().catch(() => {});
    await broker?.stop();
    if (hubDir) rmSync(hubDir, { recursive: true, force: true });
    rmSync(join(hubDir ?? '/nonexistent', '..', `sp-e2e-pw-${process.pid}`), { force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(`${host.violations.join('\n')}\n${hub?.output()}`);
  });

  it('births each gateway on the plant broker', async () => {
    await eventually(() => host.node('gw-p1')?.online && host.node('gw-p2')?.online, { timeoutMs: 30_000 });
    assert.equal(host.value('gw-p1', 'Online'), true);
    assert.deepEqual(host.violations, []);
  });

  it('when the hub is killed, the broker sends each edge node’s NDEATH with its birth bdSeq', async () => {
    await hub!.kill();
    await eventually(() => host.node('gw-p1')?.online === false && host.node('gw-p2')?.online === false, {
      timeoutMs: 20_000,
    });
    assert.equal(host.node('gw-p1')!.deaths, 1);
    assert.equal(host.node('gw-p1')!.staleDeaths, 0);
    assert.deepEqual(host.violations, []);
  });

  it('after a restart, births again on the next bdSeq', async () => {
    const before = host.node('gw-p1')!.bdSeq!;
    hub = await startHubProcess(hubDir, args);
    await eventually(() => host.node('gw-p1')?.online && host.node('gw-p2')?.online, { timeoutMs: 30_000 });
    assert.equal(host.node('gw-p1')!.bdSeq, (before + 1) % 256);
    assert.deepEqual(host.violations, []);
  });
});
