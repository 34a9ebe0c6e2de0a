// Agent local-state writes: bytes written to <data dir>/state/agent.db in one simulated day,
// for an idle gateway and one running 20 pods, online and offline. The real LocalState, Outbox
// and coalescing run on a real nedb file; only time is simulated (ManualTimers), so a day takes
// about a second. Bytes count file growth (nedb appends) plus every compaction; the compaction
// every agent start makes is reported apart. The table's rps column holds write operations per
// day, latencies are those of the outbox writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../edge-agent/hub-link/outbox.js';
import { LocalState } from '../edge-agent/local-state/local-state.js';
import { defaultOutboxWrites, OutboxPersistence } from '../edge-agent/local-state/outbox-persistence.js';
import { ManualTimers } from '../test/unit/agent/manual-timers.js';
import {
  aRealisticDesiredState,
  aRealisticPod,
  aRealisticStatus,
} from '../test/unit/agent/realistic-objects.js';
import type { Benchmark, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { LatencyHistogram } from './lib/histogram.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

interface Scenario {
  name: string;
  pods: number;
  online: boolean;
  /** Status changes (each with one event) per pod per hour; desired revisions per hour. */
  changesPerPodHour: number;
  revisionsPerHour: number;
}

const scenarios: Scenario[] = [
  { name: 'idle gateway, online', pods: 0, online: true, changesPerPodHour: 0, revisionsPerHour: 0 },
  { name: 'idle gateway, offline', pods: 0, online: false, changesPerPodHour: 0, revisionsPerHour: 0 },
  { name: '20 pods steady, online', pods: 20, online: true, changesPerPodHour: 0, revisionsPerHour: 0 },
  { name: '20 pods busy, online', pods: 20, online: true, changesPerPodHour: 1, revisionsPerHour: 1 },
  { name: '20 pods busy, offline', pods: 20, online: false, changesPerPodHour: 1, revisionsPerHour: 0 },
];

async function simulateDay(scenario: Scenario): Promise<ResultRow> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-agent-'));
  try {
    const timers = new ManualTimers();
    const setup = await LocalState.open(dir);
    await setup.saveDesired(aRealisticDesiredState(1, scenario.pods));
    // The day starts with an agent start: open (and compact) the file the previous run left.
    const state = await LocalState.open(dir);
    const startBytes = state.bytesWritten;
    const latency = new LatencyHistogram();
    let writes = 0;
    const saveOutbox = state.saveOutbox.bind(state);
    state.saveOutbox = async (entries) => {
      const before = state.bytesWritten;
      const start = process.hrtime.bigint();
      await saveOutbox(entries);
      if (state.bytesWritten !== before) {
        latency.recordSince(start);
        writes++;
      }
    };
    const outbox = new Outbox();
    const persistence = new OutboxPersistence(outbox, state, defaultOutboxWrites, timers);
    const pending = new Set<Promise<void>>();
    const track = (work: Promise<void>) => {
      pending.add(work);
      void work.finally(() => pending.delete(work));
    };
    const pods = Array.from({ length: scenario.pods }, (_, i) => aRealisticPod(i));
    let revision = 1;
    for (let hour = 0; hour < 24; hour++) {
      for (let change = 0; change < scenario.changesPerPodHour; change++) {
        pods.forEach((pod, i) => {
          const at =
            hour * hourMs +
            ((i + change * pods.length) * hourMs) / (pods.length * scenario.changesPerPodHour);
          timers.setTimeout(() => {
            outbox.add({ kind: 'podStatus', item: aRealisticStatus(pod, timers.now(), hour) });
            outbox.add({
              kind: 'event',
              item: {
                involvedObject: {
                  kind: 'Pod',
                  namespace: 'default',
                  name: pod.metadata.name ?? '',
                  uid: pod.metadata.uid,
                },
                type: 'Warning',
                reason: 'Unhealthy',
                message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
                observedAt: timers.now(),
              },
            });
            persistence.changed();
            // Online, the hub acknowledges within tens of milliseconds.
            if (scenario.online) {
              timers.setTimeout(() => {
                outbox.settle(outbox.list());
                persistence.changed();
              }, 50);
            }
          }, at);
        });
      }
      for (let r = 0; r < scenario.revisionsPerHour; r++) {
        timers.setTimeout(
          () => {
            revision++;
            track(state.saveDesired(aRealisticDesiredState(revision, scenario.pods)));
            writes++;
          },
          hour * hourMs + ((r + 0.5) * hourMs) / scenario.revisionsPerHour,
        );
      }
    }
    await timers.advance(dayMs, async () => {
      await Promise.all(pending);
      await persistence.idle();
    });
    await persistence.close();
    const bytes = state.bytesWritten - startBytes;
    const summary = latency.summarize();
    return {
      scenario: scenario.name,
      server: 'agent local state',
      rps: writes,
      p50Ms: summary.p50Ms,
      p95Ms: summary.p95Ms,
      p99Ms: summary.p99Ms,
      notes: `${kib(bytes)} KiB/day (+${kib(startBytes)} KiB per agent start); ${outbox.size} queued at day end`,
      details: {
        bytesPerDay: bytes,
        bytesPerStart: startBytes,
        writesPerDay: writes,
        outboxItemsAtEnd: outbox.size,
        ...scenario,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

export const benchmark: Benchmark = {
  name: 'agent-writes',
  description: 'bytes the edge agent writes to its local state in one simulated day (rps = writes/day)',
  async run({ log }): Promise<BenchmarkReport> {
    const rows: ResultRow[] = [];
    for (const scenario of scenarios) {
      log(`agent-writes: ${scenario.name}`);
      rows.push(await simulateDay(scenario));
    }
    return { settings: { outboxWrites: defaultOutboxWrites, simulatedMs: dayMs }, rows };
  },
};
