// Runs chosen controllers in process next to a real hub, on their own informers and clock
// (the way controller-manager.ts wires them), plus the little a kubelet would do for tests.
import type { Clock } from '../../../api/clock.js';
import { systemClock } from '../../../api/clock.js';
import { SharedInformers } from '../../../hub/client/shared-informers.js';
import type { Controller, ControllerContext } from '../../../hub/controllers/runtime/controller.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { eventually } from '../../helpers/eventually.js';
import type { TestHub } from '../../helpers/test-hub.js';

export interface Harness {
  ctx: ControllerContext;
  logs: string[];
  stop(): void;
}

export function startControllers(
  t: TestHub,
  make: ((ctx: ControllerContext) => Controller)[],
  clock: Clock = systemClock,
): Harness & { controllers: Controller[] } {
  const logs: string[] = [];
  const informers = new SharedInformers(t.hub.registry.store);
  const ctx: ControllerContext = {
    registry: t.hub.registry,
    informers,
    clock,
    // As the controller manager gives it: controllers log as controller-manager/<name>.
    log: captureLogger(logs).child('controller-manager'),
  };
  const controllers = make.map((m) => m(ctx));
  for (const c of controllers) c.start();
  return {
    ctx,
    logs,
    controllers,
    stop: () => {
      for (const c of controllers) c.stop();
      informers.stop();
    },
  };
}

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const node = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: {},
  ...extra,
});

/** Sets a pod's phase and Ready condition, as the edge agent would report them. */
export async function setPodStatus(
  t: TestHub,
  namespace: string,
  name: string,
  phase: string,
  ready: boolean,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const path = `/api/v1/namespaces/${namespace}/pods/${name}`;
  const pod = (await t.api.get(path)).json();
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  pod.status = {
    ...pod.status,
    phase,
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
    ...extra,
  };
  const res = await t.api.put(`${path}/status`, pod);
  if (res.status !== 200) throw new Error(`status of ${name}: ${res.status} ${res.text}`);
}

export async function listItems(t: TestHub, path: string): Promise<any[]> {
  const res = await t.api.get(path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.json().items;
}

/** Waits until `check` stops throwing (eventually() wants a truthy result; asserts return nothing). */
export async function until(
  check: () => unknown,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  await eventually(async () => {
    await check();
    return true;
  }, options);
}

/**
 * GET, change, PUT, again on 409 Conflict (controllers write status meanwhile). A change to
 * `status` goes through the status subresource.
 */
export async function modify(t: TestHub, path: string, change: (obj: any) => void): Promise<any> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const obj = (await t.api.get(path)).json();
    const before = JSON.stringify(obj.status);
    change(obj);
    const statusOnly = JSON.stringify(obj.status) !== before;
    const res = await t.api.put(statusOnly ? `${path}/status` : path, obj);
    if (res.status === 200) return res.json();
    if (res.status !== 409) throw new Error(`PUT ${path}: ${res.status} ${res.text}`);
  }
  throw new Error(`PUT ${path}: conflict after 10 attempts`);
}
