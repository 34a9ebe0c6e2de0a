// A real hub with the workload controllers (ReplicaSet, Deployment, garbage collector) started
// next to it on their own informers, as the controller manager would, plus the readiness the
// missing kubelet would report.
import { systemClock } from '../../../api/clock.js';
import type { KubeObject } from '../../../api/types.js';
import type { Registry } from '../../../hub/apiserver/registry/registry.js';
import { SharedInformers } from '../../../hub/client/shared-informers.js';
import { DeploymentController } from '../../../hub/controllers/deployment/deployment-controller.js';
import { GarbageCollector } from '../../../hub/controllers/garbage-collector/garbage-collector.js';
import { ReplicaSetController } from '../../../hub/controllers/replicaset/replicaset-controller.js';
import type { Controller, ControllerContext } from '../../../hub/controllers/runtime/controller.js';
import { aNamespace, type TestObject } from '../../helpers/builders.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

export const pods = { group: '', resource: 'pods' };
export const replicaSets = { group: 'apps', resource: 'replicasets' };
export const deployments = { group: 'apps', resource: 'deployments' };

export interface WorkloadHub {
  t: TestHub;
  registry: Registry;
  logs: string[];
  close(): Promise<void>;
}

/** `extra`: more controllers to run beside those three (e.g. the StatefulSet controller). */
export async function startWorkloadHub(
  extra: ((ctx: ControllerContext) => Controller)[] = [],
): Promise<WorkloadHub> {
  const t = await startTestHub();
  const informers = new SharedInformers(t.hub.registry.store);
  const logs: string[] = [];
  const ctx: ControllerContext = {
    registry: t.hub.registry,
    informers,
    clock: systemClock,
    // As the controller manager gives it: controllers log as controller-manager/<name>.
    log: captureLogger(logs).child('controller-manager'),
  };
  const controllers: Controller[] = [
    new ReplicaSetController(ctx),
    new DeploymentController(ctx),
    new GarbageCollector(ctx),
    ...extra.map((make) => make(ctx)),
  ];
  for (const c of controllers) c.start();
  return {
    t,
    registry: t.hub.registry,
    logs,
    close: async () => {
      for (const c of controllers) c.stop();
      informers.stop();
      await t.close();
    },
  };
}

let namespaces = 0;

/** A fresh namespace per test keeps tests from seeing each other's pods. */
export async function freshNamespace(registry: Registry): Promise<string> {
  const name = `wl-${process.pid % 1000}-${++namespaces}`;
  await registry.for({ group: '', resource: 'namespaces' }).create(undefined, aNamespace(name));
  return name;
}

/** Loosely typed, as tests reach deep into metadata and spec. */
export async function list(registry: Registry, what: typeof pods, namespace: string): Promise<any[]> {
  return (await registry.for(what).list({ namespace })).items;
}

export async function get(
  registry: Registry,
  what: typeof pods,
  namespace: string,
  name: string,
): Promise<any> {
  return registry.for(what).get(namespace, name);
}

/** What a kubelet reports for a started pod whose readiness probe passes. */
export async function markReady(registry: Registry, pod: KubeObject): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await registry.for(pods).modify(
    pod.metadata.namespace,
    pod.metadata.name!,
    (current) => ({
      ...current,
      status: {
        ...(current.status as object),
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
      },
    }),
    { subresource: 'status' },
  );
}

export function isReady(pod: TestObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Marks every pod in the namespace Ready as it appears, until stopped. */
export function keepPodsReady(registry: Registry, namespace: string): { stop: () => void } {
  let running = true;
  void (async () => {
    while (running) {
      for (const pod of await list(registry, pods, namespace)) {
        if (!isReady(pod) && !pod.metadata.deletionTimestamp) await markReady(registry, pod).catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: () => {
      running = false;
    },
  };
}

/** `eventually` for checks written as assertions: passes once `check` stops throwing. */
export function settles(check: () => Promise<void> | void, timeoutMs = 10_000): Promise<true> {
  return eventually(
    async () => {
      await check();
      return true as const;
    },
    { timeoutMs },
  );
}
