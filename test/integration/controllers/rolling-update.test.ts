import assert from 'node:assert/strict';
import type { StoreEvent } from '../../../hub/store/store.js';
import { aDeployment, type TestObject } from '../../helpers/builders.js';
import {
  deployments,
  freshNamespace,
  get,
  isReady,
  keepPodsReady,
  list,
  markReady,
  pods,
  replicaSets,
  settles,
  startWorkloadHub,
  type WorkloadHub,
} from './workload-hub.js';

/** Follows every pod write in a namespace and remembers the extremes a rollout went through. */
class PodCensus {
  private readonly alive = new Map<string, boolean>();
  maxAlive = 0;
  minReady = Number.POSITIVE_INFINITY;
  /** Extremes count from here on; before, the watch is replaying the pods that exist. */
  recording = false;

  observe({ type, object }: StoreEvent): void {
    const name = object.metadata.name!;
    if (type === 'DELETED' || object.metadata.deletionTimestamp) this.alive.delete(name);
    else this.alive.set(name, isReady(object as TestObject));
    if (!this.recording) return;
    this.maxAlive = Math.max(this.maxAlive, this.alive.size);
    this.minReady = Math.min(this.minReady, [...this.alive.values()].filter(Boolean).length);
  }
}

/** Marks one not-ready pod Ready every few milliseconds, like pods starting one after another. */
function podsBecomeReadySlowly(w: WorkloadHub, ns: string): { stop: () => void } {
  let running = true;
  void (async () => {
    while (running) {
      const waiting = (await list(w.registry, pods, ns)).find(
        (p) => !isReady(p) && !p.metadata.deletionTimestamp,
      );
      if (waiting) await markReady(w.registry, waiting).catch(() => {});
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  return {
    stop: () => {
      running = false;
    },
  };
}

describe('Deployment rolling update', function () {
  this.timeout(30_000);
  let w: WorkloadHub;
  let ns: string;
  before(async () => {
    w = await startWorkloadHub();
  });
  after(async () => {
    await w.close();
  });
  beforeEach(async () => {
    ns = await freshNamespace(w.registry);
  });

  const deployment = () => get(w.registry, deployments, ns, 'web');
  const complete = async (replicas: number, image: string) => {
    const d = await deployment();
    assert.equal(d.status?.observedGeneration, d.metadata.generation);
    assert.deepEqual(
      [d.status?.replicas, d.status?.updatedReplicas, d.status?.availableReplicas],
      [replicas, replicas, replicas],
    );
    const live = (await list(w.registry, pods, ns)).filter((p) => !p.metadata.deletionTimestamp);
    assert.equal(live.length, replicas);
    for (const pod of live) assert.equal(pod.spec.containers[0].image, image);
  };

  const table: {
    replicas: number;
    maxSurge: number | string;
    maxUnavailable: number | string;
    surge: number;
    unavailable: number;
  }[] = [
    { replicas: 4, maxSurge: 1, maxUnavailable: 1, surge: 1, unavailable: 1 },
    { replicas: 3, maxSurge: '50%', maxUnavailable: 0, surge: 2, unavailable: 0 },
    { replicas: 10, maxSurge: '25%', maxUnavailable: '25%', surge: 3, unavailable: 2 },
    { replicas: 4, maxSurge: 0, maxUnavailable: 2, surge: 0, unavailable: 2 },
  ];

  for (const row of table) {
    it(`with ${row.replicas} replicas, maxSurge ${row.maxSurge} and maxUnavailable ${row.maxUnavailable}, stays within ${row.replicas + row.surge} pods and ${row.replicas - row.unavailable} ready`, async () => {
      const d = aDeployment('web');
      d.metadata.namespace = ns;
      d.spec.replicas = row.replicas;
      d.spec.strategy = {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: row.maxSurge, maxUnavailable: row.maxUnavailable },
      };
      await w.registry.for(deployments).create(ns, d);
      const initial = keepPodsReady(w.registry, ns);
      await settles(() => complete(row.replicas, 'nginx:1.27'));
      initial.stop();
      const census = new PodCensus();
      const watch = w.registry.store.watch('pods', { namespace: ns }, (event) => census.observe(event));
      census.recording = true;
      const ready = podsBecomeReadySlowly(w, ns);
      try {
        await w.registry.for(deployments).modify(ns, 'web', (current: any) => {
          current.spec.template.spec.containers[0].image = 'nginx:1.28';
          return current;
        });
        await settles(() => complete(row.replicas, 'nginx:1.28'), 20_000);
      } finally {
        ready.stop();
        watch.stop();
      }
      assert.ok(
        census.maxAlive <= row.replicas + row.surge,
        `at most ${row.replicas + row.surge} pods, saw ${census.maxAlive}`,
      );
      assert.ok(census.maxAlive > row.replicas || row.surge === 0, 'the rollout surged');
      assert.ok(
        census.minReady >= row.replicas - row.unavailable,
        `at least ${row.replicas - row.unavailable} ready, saw ${census.minReady}`,
      );
    });
  }

  it('scales a Deployment mid-rollout proportionally across its ReplicaSets', async () => {
    const d = aDeployment('web');
    d.metadata.namespace = ns;
    d.spec.replicas = 10;
    d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
    await w.registry.for(deployments).create(ns, d);
    const initial = keepPodsReady(w.registry, ns);
    await settles(() => complete(10, 'nginx:1.27'));
    initial.stop();
    await w.registry.for(deployments).modify(ns, 'web', (current: any) => {
      current.spec.template.spec.containers[0].image = 'nginx:1.28';
      return current;
    });
    // New pods never get ready: the rollout stops at old 8 + new 5 = 13 = 10 + maxSurge.
    const sizes = async () => {
      const rss = await list(w.registry, replicaSets, ns);
      return rss.map((rs) => [rs.spec.template.spec.containers[0].image, rs.spec.replicas]).sort();
    };
    await settles(async () =>
      assert.deepEqual(await sizes(), [
        ['nginx:1.27', 8],
        ['nginx:1.28', 5],
      ]),
    );
    await w.registry.for(deployments).modify(ns, 'web', (current: any) => {
      current.spec.replicas = 20;
      current.spec.strategy.rollingUpdate = { maxSurge: 5, maxUnavailable: 2 };
      return current;
    });
    // 12 more (25 - 13), shared 8:5 — old 8 → 15, new 5 → 10.
    await settles(async () =>
      assert.deepEqual(await sizes(), [
        ['nginx:1.27', 15],
        ['nginx:1.28', 10],
      ]),
    );
    const ready = keepPodsReady(w.registry, ns);
    try {
      await settles(() => complete(20, 'nginx:1.28'), 20_000);
    } finally {
      ready.stop();
    }
  });
});
