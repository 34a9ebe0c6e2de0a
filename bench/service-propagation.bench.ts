// From an endpoint change at the hub to the rule being live on the gateway: the hub process, and
// a `flotilla agent` (fake runtime, real service proxy) inside a gateway network namespace. Each
// run patches a Service's EndpointSlice to a new address through the API and polls the gateway's
// ruleset (iptables-save or nft list) until the address is there. The path measured: API write →
// store → edge sync's coalescing window → MQTT → agent → iptables-restore / nft.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '../test/helpers/eventually.js';
import { createGatewayNetns, destroyGatewayNetns } from '../test/helpers/gateway-netns.js';
import { exited, flotillaBin, startHubProcess } from '../test/helpers/hub-process.js';
import { createApiClient } from './lib/agent-api.js';
import type { Benchmark, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { LatencyHistogram } from './lib/histogram.js';

const run = promisify(execFile);
const runs = 20;
const modes = ['iptables', 'nftables'] as const;

function readRules(netns: string, mode: (typeof modes)[number]): Promise<string> {
  const command =
    mode === 'iptables' ? ['iptables-save', '-t', 'nat'] : ['nft', 'list', 'table', 'ip', 'flotilla'];
  return run('ip', ['netns', 'exec', netns, ...command]).then(
    (r) => r.stdout,
    () => '',
  );
}

function slice(address: string): string {
  return JSON.stringify({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'prop-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'prop' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  });
}

export const benchmark: Benchmark = {
  name: 'service-propagation',
  description: 'endpoint change at the hub → rule live on the gateway (iptables and nftables modes)',
  async run({ log }): Promise<BenchmarkReport> {
    if (process.getuid?.() !== 0) throw new Error('service-propagation needs root (network namespaces)');
    const hub = await startHubProcess(undefined, ['--bind', '0.0.0.0']);
    const api = createApiClient(
      hub.apiUrl,
      readFileSync(join(hub.dataDir, 'pki', 'ca.crt'), 'utf8'),
      hub.token,
    );
    const rows: ResultRow[] = [];
    try {
      const service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'prop', namespace: 'default' },
        spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      };
      await api.request('POST', '/api/v1/namespaces/default/services', JSON.stringify(service));
      await api.request(
        'POST',
        '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
        slice('10.99.0.1'),
      );
      for (const mode of modes) {
        // Each agent starts from the slice's first address (the previous mode moved it on).
        await api.request(
          'PUT',
          '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/prop-1',
          slice('10.99.0.1'),
        );
        const gw = await createGatewayNetns(`prop-${mode.slice(0, 3)}`);
        const dataDir = mkdtempSync(join(tmpdir(), 'flotilla-prop-'));
        const port = new URL(hub.mqttUrl).port;
        const agent = spawn(
          'nsenter',
          [
            `--net=${gw.netnsPath}`,
            process.execPath,
            flotillaBin,
            'agent',
            `--hub=mqtts://172.31.0.1:${port}`,
            `--token=${hub.nodeToken}`,
            `--node-name=prop-${mode}`,
            `--data-dir=${dataDir}`,
            '--runtime=fake',
            `--proxy-mode=${mode}`,
            '--cluster-dns=none',
            '--pod-routes=off',
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let output = '';
        agent.stdout!.on('data', (d: Buffer) => {
          output += d.toString();
        });
        agent.stderr!.on('data', (d: Buffer) => {
          output += d.toString();
        });
        try {
          await eventually(async () => (await readRules(gw.netnsName, mode)).includes('10.99.0.1'), {
            timeoutMs: 30_000,
            intervalMs: 100,
          }).catch((err: Error) => {
            throw new Error(`${mode}: the first rules never appeared: ${err.message}\n${output}`);
          });
          const latency = new LatencyHistogram();
          for (let i = 0; i < runs; i++) {
            const address = `10.99.${mode === 'iptables' ? 1 : 2}.${i + 2}`;
            const started = process.hrtime.bigint();
            const res = await api.request(
              'PUT',
              '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/prop-1',
              slice(address),
            );
            if (res.status !== 200) throw new Error(`update: HTTP ${res.status} ${res.body}`);
            while (!(await readRules(gw.netnsName, mode)).includes(address)) {
              // polling costs one iptables-save / nft list per round, a few ms with one service
            }
            latency.recordSince(started);
          }
          const s = latency.summarize();
          log(`${mode}: p50 ${s.p50Ms.toFixed(0)} ms, p99 ${s.p99Ms.toFixed(0)} ms`);
          rows.push({
            scenario: `endpoint change → rule live (${mode})`,
            server: 'hub + agent in netns',
            rps: 0,
            p50Ms: Math.round(s.p50Ms),
            p95Ms: Math.round(s.p95Ms),
            p99Ms: Math.round(s.p99Ms),
            notes: `${runs} runs; includes edge sync's 75 ms coalescing window and the polling read`,
            details: { ...s },
          });
        } finally {
          agent.kill('SIGTERM');
          await exited(agent);
          await run('ip', [
            'netns',
            'exec',
            gw.netnsName,
            process.execPath,
            flotillaBin,
            'agent',
            'cleanup-rules',
          ]).catch(() => {});
          await destroyGatewayNetns(gw);
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    } finally {
      api.close();
      await hub.stop();
      rmSync(hub.dataDir, { recursive: true, force: true });
    }
    return { settings: { runs, modes }, rows };
  },
};
