// What TLS on the MQTT link costs, plain MQTT (`--mqtt-insecure-port`) against MQTT over TLS.
// 1. Agent connect time, in process on loopback (hub and agent share one event loop, as in the
//    integration tests), median of 20: agent start → CONNACK for a first join over TLS (the CA
//    found by its pin: one extra handshake), a restart over TLS (CA kept), and plain MQTT; and
//    the bare mqtt.js connect → CONNACK with the agent's CONNECT fields.
// 2. Hub CPU for 1,000 gateway connections: the hub from the build in its own process; 1,000
//    raw clients (the agent's CONNECT fields, distinct node names and keys, 50 connecting at a
//    time) connect, get their CONNACK and stay; the hub's utime + stime from /proc before and
//    after. Twice per transport, alternating, so a busy moment of the shared machine shows.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { silentLogger } from '../api/logger.js';
import { agentConnectFields } from '../api/mqtt/agent-session.js';
import { startAgent } from '../edge-agent/agent.js';
import { FakeRuntime } from '../edge-agent/runtime/fake-runtime.js';
import { readNodeToken } from '../hub/broker/broker-tokens.js';
import { startHub } from '../hub/main.js';
import { captureLogger } from '../test/helpers/capture-logger.js';
import type { Benchmark, BenchmarkOptions, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { startChildServer } from './lib/child-server.js';
import { flotillaEntry } from './lib/hub-process.js';

const settings = { connectRuns: 20, gateways: 1_000, connecting: 50, rounds: 3 };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

function row(scenario: string, server: string, samples: number[], notes: string): ResultRow {
  return {
    scenario,
    server,
    rps: 1000 / median(samples),
    p50Ms: median(samples),
    p95Ms: percentile(samples, 0.95),
    p99Ms: percentile(samples, 0.99),
    notes,
    details: { samples: samples.length, minMs: Math.min(...samples) },
  };
}

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `flotilla-bench-${prefix}-`));

/** Agent start → "hub link: connected", in ms. */
async function timeAgentJoin(url: string, token: string, name: string, dataDir: string, plain: boolean) {
  let connectedAt = 0;
  const runtime = new FakeRuntime();
  const started = performance.now();
  const connected = new Promise<void>((resolve) => {
    const log = captureLogger((line) => {
      if (line.startsWith('hub-link: connected')) {
        connectedAt = performance.now();
        resolve();
      }
    });
    void startAgent({
      hubUrl: url,
      token,
      nodeName: name,
      dataDir,
      runtime: { kind: 'instance', runtime },
      ...(plain ? { hubInsecurePlaintext: true } : {}),
      log,
    }).then((agent) => connected.then(() => agent.stop()));
  });
  await connected;
  // Let the agent finish its stop before the next run.
  await new Promise((resolve) => setTimeout(resolve, 200));
  runtime.close();
  return connectedAt - started;
}

async function connectTimes(log: (line: string) => void): Promise<ResultRow[]> {
  const hubDir = tempDir('tls-hub');
  const hub = await startHub({
    dataDir: hubDir,
    bind: '127.0.0.1',
    apiPort: 0,
    serviceCIDR: '10.43.0.0/16',
    nodePortRange: '30000-32767',
    mqttPort: 0,
    mqttInsecurePort: 0,
    controllers: { only: ['namespace'] },
    log: silentLogger,
  });
  const rows: ResultRow[] = [];
  try {
    const tlsUrl = hub.mqtt.mqttUrl;
    const plainUrl = `mqtt://127.0.0.1:${hub.mqtt.mqttInsecurePort}`;
    const token = readNodeToken(hubDir)!;
    const samples = { first: [] as number[], kept: [] as number[], plain: [] as number[] };
    const rawTls: number[] = [];
    const rawPlain: number[] = [];
    for (let i = 0; i < settings.connectRuns; i++) {
      const tlsDir = tempDir('tls-agent');
      const plainDir = tempDir('plain-agent');
      samples.first.push(await timeAgentJoin(tlsUrl, hub.mqtt.joinString, `tls-${i}`, tlsDir, false));
      samples.kept.push(await timeAgentJoin(tlsUrl, token, `tls-${i}`, tlsDir, false));
      samples.plain.push(await timeAgentJoin(plainUrl, hub.mqtt.joinString, `plain-${i}`, plainDir, true));
      rmSync(tlsDir, { recursive: true, force: true });
      rmSync(plainDir, { recursive: true, force: true });
      const fields = { ...agentConnectFields(`raw-${i}`, token, randomBytes(24).toString('base64url')) };
      for (const [url, extra, into] of [
        [tlsUrl, { ca: hub.caPem }, rawTls],
        [plainUrl, {}, rawPlain],
      ] as const) {
        const t0 = performance.now();
        const client = await connectAsync(url, { ...fields, clean: true, reconnectPeriod: 0, ...extra });
        into.push(performance.now() - t0);
        await client.endAsync(true);
      }
      log(`connect run ${i + 1}/${settings.connectRuns}`);
    }
    rows.push(
      row(
        'agent start → CONNACK, first join (pin)',
        'TLS',
        samples.first,
        'discovery handshake + verified TLS',
      ),
    );
    rows.push(row('agent start → CONNACK, restart (CA kept)', 'TLS', samples.kept, 'verified TLS'));
    rows.push(row('agent start → CONNACK', 'plain', samples.plain, '--hub-insecure-plaintext'));
    rows.push(row('mqtt.js connect → CONNACK', 'TLS', rawTls, 'agent CONNECT fields'));
    rows.push(row('mqtt.js connect → CONNACK', 'plain', rawPlain, 'agent CONNECT fields'));
  } finally {
    await hub.stop();
    rmSync(hubDir, { recursive: true, force: true });
  }
  return rows;
}

/** utime + stime of `pid` in ms (clock ticks of 10 ms, Linux's USER_HZ 100). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function connectFleet(url: string, token: string, prefix: string, extra: IClientOptions) {
  const clients: MqttClient[] = [];
  let next = 0;
  const worker = async () => {
    while (next < settings.gateways) {
      const i = next++;
      const fields = agentConnectFields(`${prefix}-${i}`, token, randomBytes(24).toString('base64url'));
      clients.push(await connectAsync(url, { ...fields, clean: true, reconnectPeriod: 0, ...extra }));
    }
  };
  await Promise.all(Array.from({ length: settings.connecting }, worker));
  return clients;
}

async function hubCpu(options: BenchmarkOptions): Promise<ResultRow[]> {
  const dataDir = tempDir('tls-cpu-hub');
  const entry = flotillaEntry(options.repoRoot);
  const hub = await startChildServer({
    args: [
      ...[entry, 'hub', '--data-dir', dataDir, '--bind', '127.0.0.1', '--api-port', '0'],
      ...['--mqtt-port', '0', '--mqtt-insecure-port', '0', '--local-agent', 'off'],
    ],
    cwd: options.repoRoot,
    readyLine:
      /MQTT broker on mqtts:\/\/127\.0\.0\.1:(\d+) and plain MQTT \(insecure\) port (\d+)[\s\S]*API server on/,
    readyTimeoutMs: 60_000,
    label: 'hub',
  }).catch((err) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const caPem = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
  const token = readNodeToken(dataDir)!;
  const samples: Record<'TLS' | 'plain', { cpu: number[]; wall: number[] }> = {
    TLS: { cpu: [], wall: [] },
    plain: { cpu: [], wall: [] },
  };
  try {
    for (let round = 0; round < settings.rounds; round++) {
      for (const mode of ['plain', 'TLS'] as const) {
        const url = mode === 'TLS' ? `mqtts://127.0.0.1:${hub.match[1]}` : `mqtt://127.0.0.1:${hub.match[2]}`;
        const before = cpuMs(hub.pid);
        const t0 = performance.now();
        const clients = await connectFleet(
          url,
          token,
          `${mode.toLowerCase()}-${round}`,
          mode === 'TLS' ? { ca: caPem } : {},
        );
        samples[mode].wall.push(performance.now() - t0);
        samples[mode].cpu.push(cpuMs(hub.pid) - before);
        options.log(`${mode} round ${round + 1}: ${clients.length} gateways connected`);
        await Promise.all(clients.map((c) => c.endAsync(true)));
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return (['plain', 'TLS'] as const).map((mode) => ({
    scenario: `hub CPU, ${settings.gateways.toLocaleString('en')} gateway connections`,
    server: mode,
    rps: (settings.gateways * 1000) / median(samples[mode].wall),
    p50Ms: median(samples[mode].cpu),
    p95Ms: Math.max(...samples[mode].cpu),
    p99Ms: Math.max(...samples[mode].cpu),
    notes: `p50 = hub CPU ms per ${settings.gateways} connects (${settings.rounds} rounds); rps = connects/s`,
    details: { cpuMs: samples[mode].cpu, wallMs: samples[mode].wall },
  }));
}

export const benchmark: Benchmark = {
  name: 'mqtt-tls',
  description:
    'agent connect time and hub CPU per 1,000 gateway connections, plain MQTT against MQTT over TLS',
  async run(options: BenchmarkOptions): Promise<BenchmarkReport> {
    const rows = [...(await connectTimes(options.log)), ...(await hubCpu(options))];
    return { settings, rows };
  },
};
