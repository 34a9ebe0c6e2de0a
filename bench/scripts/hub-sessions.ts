// A quick measurement of the hub at N gateways (not a test, not the fleet bench): the built hub
// in its own process, N raw mqtt.js gateways (the agent's CONNECT fields: persistent session,
// Will, distinct name and key, TLS), 50 connecting at a time. Phase 1: each connects and
// subscribes to its desired state (QoS 1) — the hub's RSS per broker session. Phase 2: each
// registers and heartbeats every 10 s — until all Nodes exist, RSS per gateway. Then SIGTERM,
// timed. With --cpu-prof the hub runs under `node --cpu-prof` and the top functions by self
// time are printed. Usage:
//   npm run build && npx tsx bench/scripts/hub-sessions.ts [--gateways 1000] [--bin dist/cli/flotilla.js] [--cpu-prof]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectAsync, type MqttClient } from 'mqtt';
import { agentConnectFields } from '../../api/mqtt/agent-session.js';
import { encodePayload } from '../../api/mqtt/codec.js';
import { payloadExamples } from '../../api/mqtt/payload-examples.js';
import { buildTopic, routes } from '../../api/mqtt/route-table.js';
import { readNodeToken } from '../../hub/broker/broker-tokens.js';
import { ApiClient } from '../../test/helpers/api-client.js';
import { topSelfTime } from '../lib/cpu-profile-top.js';

const { values } = parseArgs({
  options: {
    gateways: { type: 'string', default: '1000' },
    bin: { type: 'string', default: 'dist/cli/flotilla.js' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const gateways = Number(values.gateways);
const dataDir = mkdtempSync(join(tmpdir(), 'flotilla-sessions-'));
const profDir = join(dataDir, 'prof');
const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
const child = spawn(
  process.execPath,
  [
    ...nodeArgs,
    resolve(values.bin),
    'hub',
    '--data-dir',
    dataDir,
    '--bind',
    '127.0.0.1',
    '--api-port',
    '0',
    '--mqtt-port',
    '0',
    '--local-agent',
    'off',
  ],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
let out = '';
const collect = (d: Buffer) => {
  out += d.toString();
};
child.stdout.on('data', collect);
child.stderr.on('data', collect);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMiB = () => {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};

async function main(): Promise<void> {
  while (!/API server on (https:\/\/\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(out);
    await sleep(100);
  }
  const apiUrl = /API server on (https:\/\/\S+)/.exec(out)![1]!;
  const mqttUrl = /MQTT broker on (mqtts:\/\/\S+)/.exec(out)![1]!;
  const ca = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
  const api = new ApiClient(apiUrl, ca, readFileSync(join(dataDir, 'tokens', 'admin'), 'utf8').trim());
  const joinToken = readNodeToken(dataDir);
  console.error('hub up');
  await sleep(3000);
  const base = rssMiB();
  const clients: Array<{ node: string; client: MqttClient }> = [];
  const names = Array.from({ length: gateways }, (_, i) => `gw-${String(i).padStart(5, '0')}`);
  const started = Date.now();
  for (let i = 0; i < names.length; i += 50) {
    await Promise.all(
      names.slice(i, i + 50).map(async (node) => {
        const client = await connectAsync(mqttUrl, {
          ...agentConnectFields(node, joinToken, randomBytes(24).toString('base64url')),
          ca,
          reconnectPeriod: 0,
        });
        client.on('error', () => {});
        await client.subscribeAsync(buildTopic(routes.desired, { node }), { qos: 1 });
        clients.push({ node, client });
      }),
    );
  }
  const connectedS = (Date.now() - started) / 1000;
  console.error(`connected ${clients.length} in ${connectedS}s`);
  await sleep(5000);
  const sessions = rssMiB();
  const beat = (client: MqttClient, node: string, s: number) =>
    client.publish(buildTopic(routes.heartbeat, { node }), encodePayload({ t: Date.now(), s }), { qos: 0 });
  let seq = 0;
  const timer = setInterval(() => {
    seq++;
    for (const { node, client } of clients) beat(client, node, seq);
  }, 10_000);
  const joinStart = Date.now();
  for (const { node, client } of clients) {
    const reg = structuredClone(payloadExamples.register);
    reg.observedAt = Date.now();
    reg.labels = { ...reg.labels, 'kubernetes.io/hostname': node };
    reg.addresses = [];
    client.publish(buildTopic(routes.register, { node }), encodePayload(reg), { qos: 1 });
    beat(client, node, 0);
  }
  let nodes = 0;
  while (Date.now() - joinStart < 300_000) {
    nodes = ((await api.get('/api/v1/nodes')).json().items ?? []).length;
    if (nodes >= gateways) break;
    await sleep(1000);
  }
  const joinS = (Date.now() - joinStart) / 1000;
  console.error(`${nodes} nodes in ${joinS}s`);
  await sleep(5000);
  const joined = rssMiB();
  const termStart = Date.now();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const termS = (Date.now() - termStart) / 1000;
  clearInterval(timer);
  for (const { client } of clients) client.end(true);
  console.log(
    JSON.stringify(
      {
        gateways,
        connectedS,
        rssBaseMiB: Math.round(base),
        rssSessionsMiB: Math.round(sessions),
        kibPerSession: Math.round(((sessions - base) * 1024) / gateways),
        nodes,
        joinS,
        rssJoinedMiB: Math.round(joined),
        kibPerGateway: Math.round(((joined - base) * 1024) / gateways),
        sigtermS: termS,
        drainWarning: out.includes('MaxListenersExceededWarning'),
      },
      null,
      2,
    ),
  );
  if (values['cpu-prof']) {
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (file)
      for (const fn of topSelfTime(join(profDir, file), 15))
        console.log(
          `${fn.percent.toFixed(1).padStart(5)}%  ${(fn.selfMs / 1000).toFixed(2).padStart(7)} s  ${fn.function} ${fn.location}`,
        );
  }
}

main()
  .catch((err) => {
    console.error(err);
    child.kill('SIGKILL');
    process.exitCode = 1;
  })
  .finally(() => rmSync(dataDir, { recursive: true, force: true }));
