// What one MQTT connection per Sparkplug edge node costs the hub (hub/sparkplug/edge-node-link.ts):
// N edge node links, each with a small snapshot (the gateway metrics and one device), connect to
// Debian's mosquitto on loopback, subscribe, and publish NBIRTH and DBIRTH; a subscriber counts
// the NBIRTHs. Measured: time from the first connect to the last NBIRTH, and the RSS and heap the
// links hold once all are born (this process, after a GC when --expose-gc gives one). Then all
// links close (NDEATH and DISCONNECT each).
//
//   node --expose-gc --import tsx bench/run.ts sparkplug-links --gateways 250,1000
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import type { Logger } from '../api/logger.js';
import { BdSeqBook } from '../hub/sparkplug/bdseq-book.js';
import { EdgeNodeLink } from '../hub/sparkplug/edge-node-link.js';
import { deviceMetrics, nodeMetrics } from '../hub/sparkplug/fleet-metrics.js';
import { captureLogger } from '../test/helpers/capture-logger.js';
import { eventually } from '../test/helpers/eventually.js';
import { tempDir } from '../test/helpers/hub-process.js';
import { startMosquitto } from '../test/helpers/mosquitto.js';
import type { Benchmark, BenchmarkOptions, BenchmarkReport, ResultRow } from './lib/benchmark.js';

const group = 'bench';

async function measure(count: number, log: Logger): Promise<ResultRow> {
  const broker = await startMosquitto({ hub: 'h', host: 'h' });
  const dir = tempDir('sp-bench');
  const watcher = await connectAsync(broker.url, { username: 'host', password: 'h', clientId: 'bench-host' });
  let births = 0;
  watcher.on('message', (topic) => {
    if (topic.includes('/NBIRTH/')) births++;
  });
  await watcher.subscribeAsync(`spBv1.0/${group}/#`);
  const snapshot = () => ({
    node: nodeMetrics({ node: undefined, pods: [], lastSeenMs: Date.now(), online: true }),
    devices: new Map([
      [
        'default:deployment:web',
        deviceMetrics({ namespace: 'default', kind: 'deployment', name: 'web' }, []),
      ],
    ]),
  });
  global.gc?.();
  const before = process.memoryUsage();
  const bdSeqs = new BdSeqBook(join(dir, 'bdseq.json'), log);
  const started = performance.now();
  const links = Array.from({ length: count }, (_, i) => {
    const link = new EdgeNodeLink({
      group,
      edgeNode: `gw-${i}`,
      hostId: undefined,
      broker: { url: broker.url, username: 'hub', password: 'h', clientIdPrefix: 'bench-' },
      bdSeqs,
      snapshot,
      log,
    });
    link.start();
    return link;
  });
  await eventually(() => births >= count, { timeoutMs: 120_000, intervalMs: 10 });
  const elapsedMs = performance.now() - started;
  global.gc?.();
  const after = process.memoryUsage();
  await Promise.all(links.map((l) => l.close()));
  await watcher.endAsync();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
  const perLinkKb = (after.rss - before.rss) / count / 1024;
  const heapKb = (after.heapUsed - before.heapUsed) / count / 1024;
  return {
    scenario: `${count} edge nodes connect and are born`,
    server: 'mosquitto 2.0',
    rps: count / (elapsedMs / 1000),
    p50Ms: elapsedMs,
    p95Ms: elapsedMs,
    p99Ms: elapsedMs,
    notes: `${perLinkKb.toFixed(1)} KB RSS, ${heapKb.toFixed(1)} KB heap per link`,
    details: { count, elapsedMs, rssPerLinkKb: perLinkKb, heapPerLinkKb: heapKb },
  };
}

export const benchmark: Benchmark = {
  name: 'sparkplug-links',
  description: 'one MQTT connection per Sparkplug edge node: connect-and-birth time and memory per link',
  async run(options: BenchmarkOptions): Promise<BenchmarkReport> {
    const counts = (options.flags.gateways ?? '250,1000').split(',').map(Number);
    const rows: ResultRow[] = [];
    for (const count of counts) rows.push(await measure(count, captureLogger(options.log)));
    return { settings: { counts }, rows };
  },
};
