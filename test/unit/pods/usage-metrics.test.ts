import assert from 'node:assert/strict';
import {
  nanoCoresBetween,
  parseMeminfo,
  parseProcStat,
  readNodeSample,
} from '../../../edge-agent/pods/node-usage.js';
import { UsageMetrics, windowText } from '../../../edge-agent/pods/usage-metrics.js';
import type { ContainerStats } from '../../../edge-agent/runtime/container-runtime.js';

describe('usage for kubectl top', () => {
  it('reads busy CPU time from /proc/stat, leaving out idle and iowait', () => {
    const stat = 'cpu  100 20 30 9999 500 5 6 7 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n';
    assert.equal(parseProcStat(stat), ((100 + 20 + 30 + 5 + 6 + 7) / 100) * 1e9);
    assert.throws(() => parseProcStat('intr 1 2 3\n'), /no aggregate cpu line/);
  });

  it('takes the working set as MemTotal minus MemAvailable', () => {
    const meminfo = 'MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    600 kB\n';
    assert.equal(parseMeminfo(meminfo), 400 * 1024);
    assert.throws(() => parseMeminfo('MemTotal: 1 kB\n'), /no MemAvailable/);
  });

  it("reads this machine's /proc", async () => {
    const sample = await readNodeSample();
    assert.ok(sample.busyNanoSeconds > 0 && sample.workingSetBytes > 0, JSON.stringify(sample));
  });

  it('turns two cumulative readings into nanocores, never negative', () => {
    assert.equal(nanoCoresBetween({ at: 0, nanos: 0 }, { at: 2000, nanos: 1e9 }), 5e8);
    assert.equal(nanoCoresBetween({ at: 0, nanos: 5 }, { at: 1000, nanos: 1 }), 0);
    assert.equal(windowText(1002), '1.002s');
  });

  it('computes container CPU from its own readings when the runtime gives no rate (containerd 1.6)', async () => {
    let now = 10_000;
    let cpu = 0;
    const stats = (): ContainerStats[] => [
      {
        id: 'c1',
        name: 'app',
        labels: { 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default' },
        timestamp: now,
        cpuUsageCoreNanoSeconds: cpu,
        cpuUsageNanoCores: undefined,
        memoryWorkingSetBytes: 8192,
      },
    ];
    const usage = new UsageMetrics({
      nodeName: 'gw',
      runtime: { listContainerStats: async () => stats() },
      now: () => now,
      windowMs: 1,
    });
    const first = await usage.podMetrics();
    assert.equal(first.items[0]?.containers[0]?.usage.cpu, '0n');
    now += 4_000;
    cpu += 2e9; // half a core for four seconds
    const second = await usage.podMetrics();
    assert.deepEqual(second.items[0]?.containers[0], {
      name: 'app',
      usage: { cpu: '500000000n', memory: '8Ki' },
    });
    assert.equal(second.items[0]?.window, '4s');
  });
});
