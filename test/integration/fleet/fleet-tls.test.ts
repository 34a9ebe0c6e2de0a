import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { connectAsync } from 'mqtt';
import { dashboardUsername } from '../../../api/mqtt/credentials.js';
import { caCertHash, formatJoinString } from '../../../api/mqtt/join-string.js';
import { UsageError } from '../../../api/usage-error.js';
import { hubCaFile } from '../../../edge-agent/hub-link/hub-trust.js';
import { loadBrokerTokens, readNodeToken } from '../../../hub/broker/broker-tokens.js';
import {
  createCertificateAuthority,
  issueServingCertificate,
} from '../../../hub/pki/certificate-authority.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { type AgentUnderTest, freePort, removeDir, startAgentUnderTest } from '../agent/agent-harness.js';

/** Client ids of every CONNECT packet the hub's broker received, in order. */
function recordConnects(hub: TestHub): string[] {
  const seen: string[] = [];
  const aedes = hub.hub.mqtt.broker.aedes;
  const original = aedes.preConnect.bind(aedes);
  aedes.preConnect = (client, packet, done) => {
    seen.push(packet.clientId);
    original(client, packet, done);
  };
  return seen;
}

/** Sends a bare MQTT 3.1.1 CONNECT over plain TCP; resolves with every byte received until the close. */
function plainConnect(port: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = createConnection(port, '127.0.0.1', () =>
      socket.write(Buffer.from([0x10, 12, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60, 0, 0])),
    );
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

const wrongPin = `sha256:${'ab'.repeat(32)}`;

describe('TLS on the link between gateways and the hub', function () {
  this.timeout(30_000);
  let hub: TestHub;
  let connects: string[];
  const agents: AgentUnderTest[] = [];
  const joinString = () => hub.hub.mqtt.joinString;
  const gateway = async (node: string, url: string, token: string, extra = {}) => {
    const gw = await startAgentUnderTest({ mqttUrl: url, token }, node, extra);
    agents.push(gw);
    return gw;
  };
  const ready = (node: string) =>
    eventually(async () => {
      const res = await hub.api.get(`/api/v1/nodes/${node}`);
      const node_ = res.status === 200 ? res.json() : undefined;
      return node_?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
    });

  before(async () => {
    hub = await startTestHub(undefined, { mqttWsPort: 0 });
    connects = recordConnects(hub);
  });
  after(async () => {
    for (const gw of agents) {
      await gw.agent.stop();
      removeDir(gw.dataDir);
    }
    await hub.close();
  });

  it('writes the join string with the pin of its CA, and listens with TLS on the MQTT port', () => {
    const written = readFileSync(join(hub.dataDir, 'node-token'), 'utf8').trim();
    assert.equal(written, formatJoinString(readNodeToken(hub.dataDir)!, caCertHash(hub.hub.caPem)));
    assert.match(written, /^[a-z0-9]{6}\.[a-z0-9]{16}::sha256:[0-9a-f]{64}$/);
    assert.match(hub.hub.mqtt.mqttUrl, /^mqtts:\/\/127\.0\.0\.1:\d+$/);
  });

  it('joins over mqtts with the right pin, keeps the CA and verifies with it from then on', async () => {
    const gw = await gateway('gw-pinned', hub.hub.mqtt.mqttUrl, joinString());
    await ready('gw-pinned');
    const kept = new X509Certificate(readFileSync(join(gw.dataDir, hubCaFile)));
    assert.equal(kept.fingerprint256, new X509Certificate(hub.hub.caPem).fingerprint256);
    assert.ok(
      gw.logs.some((l) => l.includes("the hub's CA sha256:") && l.includes('matches the join string')),
    );
    // Restarted with a bare token: the kept CA is enough.
    await gw.agent.stop();
    const again = await gateway('gw-pinned', hub.hub.mqtt.mqttUrl, readNodeToken(hub.dataDir)!, {
      dataDir: gw.dataDir,
    });
    await eventually(() => again.agent.link.connected);
  });

  it('refuses a hub whose CA is not the pinned one: no CONNECT, no token sent, and retries', async () => {
    const token = formatJoinString(readNodeToken(hub.dataDir)!, wrongPin);
    const gw = await gateway('gw-wrong-pin', hub.hub.mqtt.mqttUrl, token);
    const refusals = () =>
      gw.logs.filter(
        (l) => l.includes('cannot connect') && l.includes('does not chain to the CA sha256:abababab'),
      );
    await eventually(() => refusals().length >= 2);
    assert.match(refusals()[0]!, /not sending the token/);
    assert.equal(gw.agent.link.connected, false);
    assert.ok(!connects.includes('node:gw-wrong-pin'), `CONNECTs seen: ${connects.join(', ')}`);
    assert.equal(existsSync(join(gw.dataDir, hubCaFile)), false);
  });

  it('refuses an impostor that sends the genuine CA along, before and after the CA is kept', async () => {
    // An impostor can show the real CA certificate (it is public), but not a certificate it issued.
    const fake = await createCertificateAuthority('flotilla-ca');
    const leaf = await issueServingCertificate(fake, 'flotilla-mqtt-broker', {
      dns: ['localhost'],
      ips: ['127.0.0.1'],
    });
    let received = 0;
    const impostor: Server = createTlsServer(
      { cert: `${leaf.certPem}\n${hub.hub.caPem}`, key: leaf.keyPem },
      (socket) => {
        socket.on('data', (d: Buffer) => {
          received += d.byteLength;
        });
        socket.on('error', () => {});
      },
    );
    impostor.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const url = `mqtts://127.0.0.1:${(impostor.address() as { port: number }).port}`;
      // First contact: the pinned CA did not issue the impostor's certificate.
      const fresh = await gateway('gw-first-contact', url, joinString());
      await eventually(() => fresh.logs.filter((l) => l.includes('does not chain to the CA')).length >= 2);
      // An agent that holds the hub's CA (joined before) verifies the impostor's certificate and fails.
      const joined = await gateway('gw-joined', hub.hub.mqtt.mqttUrl, joinString());
      await eventually(() => joined.agent.link.connected);
      await joined.agent.stop();
      const moved = await gateway('gw-joined', url, readNodeToken(hub.dataDir)!, {
        dataDir: joined.dataDir,
      });
      await eventually(() => moved.logs.filter((l) => l.includes('not signed by the hub CA')).length >= 2);
      assert.equal(fresh.agent.link.connected, false);
      assert.equal(moved.agent.link.connected, false);
      assert.equal(received, 0, 'the impostor received no MQTT byte');
    } finally {
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
  });

  it('joins over MQTT over WebSocket with TLS (wss)', async () => {
    const gw = await gateway('gw-wss', `wss://127.0.0.1:${hub.hub.mqtt.mqttWsPort}`, joinString());
    await ready('gw-wss');
    assert.ok(existsSync(join(gw.dataDir, hubCaFile)));
  });

  it('refuses a plain mqtt:// hub URL unless the agent is told it is insecure', async () => {
    await assert.rejects(
      gateway('gw-plain', 'mqtt://127.0.0.1:1883', joinString()),
      (err: Error) => err instanceof UsageError && /--hub-insecure-plaintext/.test(err.message),
    );
  });

  it('has no plain MQTT port unless asked with --mqtt-insecure-port, and then serves it', async () => {
    const plainPort = await freePort();
    const plainHub = await startTestHub(undefined, { mqttInsecurePort: plainPort });
    const dashboard = () =>
      connectAsync(`mqtt://127.0.0.1:${plainPort}`, {
        protocolVersion: 4,
        username: dashboardUsername,
        password: loadBrokerTokens(plainHub.dataDir).dashboard,
        reconnectPeriod: 0,
        connectTimeout: 2_000,
      });
    let restarted: TestHub | undefined;
    try {
      const client = await dashboard();
      await client.endAsync();
      const gw = await gateway(
        'gw-plaintext',
        `mqtt://127.0.0.1:${plainPort}`,
        plainHub.hub.mqtt.joinString,
        {
          hubInsecurePlaintext: true,
        },
      );
      assert.ok(gw.logs.some((l) => l.includes('WARNING: plain MQTT')));
      await eventually(() => gw.agent.link.connected);
      await gw.agent.stop();
      // The same hub and data dir without the flag: the plain port is closed.
      await plainHub.hub.stop();
      restarted = await startTestHub(plainHub.dataDir, {});
      assert.equal(restarted.hub.mqtt.mqttInsecurePort, undefined);
      await assert.rejects(dashboard(), /ECONNREFUSED/);
      // And the TLS port does not answer a plain CONNECT with a CONNACK.
      const answer = await plainConnect(restarted.hub.mqtt.mqttPort);
      assert.notEqual(answer[0], 0x20, `answered ${answer.toString('hex')}`);
    } finally {
      if (restarted) await restarted.close();
      else await plainHub.close();
    }
  });
});
