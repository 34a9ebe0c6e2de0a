import assert from 'node:assert/strict';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { connectAsync, type MqttClient } from 'mqtt';
import { dashboardUsername } from '../../../api/mqtt/credentials.js';
import { type RunningBroker, startBroker } from '../../../hub/broker/broker.js';
import type { AdmissionOptions } from '../../../hub/broker/connect-admission.js';
import { loadHubCredentials } from '../../../hub/pki/hub-credentials.js';
import { eventually } from '../../helpers/eventually.js';
import { freePort } from '../agent/agent-harness.js';
import { type MqttTestHub, startMqttTestHub } from '../edge-sync/mqtt-hub.js';

describe('the broker admits connections a few at a time', function () {
  this.timeout(30_000);
  let hub: MqttTestHub;
  let broker: RunningBroker | undefined;

  before(async () => {
    hub = await startMqttTestHub();
  });
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });
  after(() => hub.close());

  async function brokerWith(admission: AdmissionOptions): Promise<RunningBroker> {
    const credentials = await loadHubCredentials(hub.t.dataDir, '127.0.0.1');
    broker = await startBroker({
      tokens: hub.tokens,
      credentials: hub.mqtt.credentials,
      bind: '127.0.0.1',
      tls: { ...credentials.broker, caPem: credentials.ca.certPem },
      port: await freePort(),
      log: () => {},
      admission,
    });
    await broker.listen();
    return broker;
  }

  const dashboard = (port: number, id: string): Promise<MqttClient> =>
    connectAsync(`mqtts://127.0.0.1:${port}`, {
      protocolVersion: 4,
      clientId: id,
      username: dashboardUsername,
      password: hub.tokens.dashboard,
      reconnectPeriod: 0,
      connectTimeout: 20_000,
      ca: hub.mqtt.caPem,
    });

  /** A TLS connection that completes its handshake (or not) and then sends nothing. */
  const silent = (port: number): Promise<{ socket: TLSSocket; outcome: string }> =>
    new Promise((resolve) => {
      const socket = tlsConnect({ port, host: '127.0.0.1', ca: hub.mqtt.caPem, servername: 'localhost' });
      socket.once('secureConnect', () => resolve({ socket, outcome: 'handshake completed' }));
      socket.once('error', (err: Error & { code?: string }) =>
        resolve({ socket, outcome: err.code ?? err.message }),
      );
      socket.once('close', () => resolve({ socket, outcome: 'closed' }));
    });

  it('lets a herd of 150 clients connecting at once all in through two slots', async () => {
    const b = await brokerWith({ maxConnecting: 2, maxSlotMs: 5_000, maxWaitMs: 20_000 });
    const clients = await Promise.all(Array.from({ length: 150 }, (_, i) => dashboard(b.port!, `herd-${i}`)));
    assert.equal(clients.filter((c) => c.connected).length, 150);
    assert.equal(b.admission.counters.admitted, 150);
    assert.equal(b.admission.counters.shed, 0);
    // Freed when the CONNACK's write completes, which the client may see first.
    assert.equal(
      await eventually(() => b.admission.inProgress === 0),
      true,
      'every slot is freed at CONNACK',
    );
    await Promise.all(clients.map((c) => c.endAsync(true)));
  });

  it('lets a client in past connections that finished TLS and say nothing', async () => {
    const b = await brokerWith({ maxConnecting: 2, maxSlotMs: 300, maxWaitMs: 20_000 });
    const squatters = await Promise.all([silent(b.port!), silent(b.port!)]);
    assert.deepEqual(
      squatters.map((s) => s.outcome),
      ['handshake completed', 'handshake completed'],
    );
    const client = await dashboard(b.port!, 'after-squatters');
    assert.equal(client.connected, true);
    await client.endAsync(true);
    for (const s of squatters) s.socket.destroy();
  });

  it('closes a connection that waited too long for a slot before any TLS work', async () => {
    const b = await brokerWith({ maxConnecting: 1, maxSlotMs: 600, maxWaitMs: 100 });
    const squatter = await silent(b.port!);
    assert.equal(squatter.outcome, 'handshake completed');
    const late = await silent(b.port!);
    assert.notEqual(late.outcome, 'handshake completed');
    assert.equal(b.admission.counters.shed, 1);
    // The next one, not kept waiting, is served.
    const client = await dashboard(b.port!, 'after-shed');
    assert.equal(client.connected, true);
    await client.endAsync(true);
    squatter.socket.destroy();
  });
});
