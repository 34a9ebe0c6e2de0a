import type { Logger } from '../../api/logger.js';
// The service proxy (kube-proxy) of the edge agent: desired Services and EndpointSlices in, rules
// out through a RuleApplier. Level-based, like the rest of the agent: it keeps what it last
// applied per service port, so a new desired state rewrites only the ports that changed and
// removes the ones that went away. The first sync of a process (after an agent restart the rules
// of the previous run are still in the kernel, and traffic flows through them) is a full sync
// that replaces those rules in place, never a flush followed by a load. Syncs run one at a time;
// desired states arriving meanwhile are coalesced into the next. A failed sync is retried with
// back-off, as a full sync, since the kernel's state is then unknown.

import { nextBackoffDelay } from '../../api/backoff.js';
import type { KubeObject } from '../../api/types.js';
import type { AgentObserver } from '../metrics/agent-observer.js';
import { FullSyncNeeded, type PortChange, type RuleApplier } from './rule-applier.js';
import { type ApiRelayEndpoint, buildServiceModel } from './service-model.js';
import { type ProxyNode, portKey, type ServicePort, samePort } from './service-port.js';

export interface ProxyInput {
  services: readonly KubeObject[];
  endpointSlices: readonly KubeObject[];
  podCIDR?: string;
}

export interface ServiceProxyOptions {
  applier: RuleApplier;
  nodeName: string;
  /** The node's own IPv4 addresses. */
  addresses: readonly string[];
  log: Logger;
  /** Back-off after a failed sync; default 1 s doubling up to 30 s. */
  retry?: { initialMs: number; maxMs: number };
  /** Times each sync (the agent's metrics). */
  observer?: AgentObserver | undefined;
}

interface Applied {
  node: ProxyNode;
  /** Per port key, the port as applied: an update compares it field by field. */
  ports: Map<string, ServicePort>;
}

export class ServiceProxy {
  private desired: ProxyInput | undefined;
  private applied: Applied | undefined;
  private running: Promise<void> | undefined;
  private pending = false;
  private failure: Error | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs: number;
  private problems = '';
  /** Nothing to proxy and nothing of ours in the kernel: no rules written yet. */
  private untouched: boolean | undefined;
  private stopped = false;
  private apiRelay: ApiRelayEndpoint | undefined;

  constructor(private readonly options: ServiceProxyOptions) {
    this.retryMs = options.retry?.initialMs ?? 1000;
  }

  get mode(): RuleApplier['mode'] {
    return this.options.applier.mode;
  }

  /** Takes the latest desired state; never throws (failures are logged and retried). */
  setDesired(input: ProxyInput): void {
    this.desired = input;
    this.kick();
  }

  /** Points the `kubernetes` Service at the agent's API relay (undefined: at its endpoints). */
  setApiRelay(endpoint: ApiRelayEndpoint | undefined): void {
    if (JSON.stringify(endpoint) === JSON.stringify(this.apiRelay)) return;
    this.apiRelay = endpoint;
    if (this.desired) this.kick();
  }

  /** Resolves when everything given so far is applied; rejects with the error of a failed attempt. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure) throw this.failure;
  }

  /** Stops retrying; the rules stay, so Services keep working without the agent (kube-proxy semantics). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.options.applier.close?.();
  }

  private kick(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.pending = false;
      try {
        await this.syncOnce();
        this.failure = undefined;
        this.retryMs = this.options.retry?.initialMs ?? 1000;
      } catch (err) {
        this.failure = err as Error;
        this.applied = undefined;
        this.options.log.warn(`sync failed, retrying in ${this.retryMs} ms: ${this.failure.message}`);
        if (!this.stopped && !this.pending) {
          this.retryTimer = setTimeout(() => this.kick(), this.retryMs);
          this.retryTimer.unref?.();
        }
        this.retryMs = nextBackoffDelay(this.retryMs, {
          initialMs: this.options.retry?.initialMs ?? 1000,
          maxMs: this.options.retry?.maxMs ?? 30_000,
        });
      }
    } while (this.pending && !this.stopped);
  }

  private async syncOnce(): Promise<void> {
    const input = this.desired;
    if (!input) return;
    const { applier, nodeName, log } = this.options;
    const model = buildServiceModel(input.services, input.endpointSlices, nodeName, this.apiRelay);
    this.reportProblems(model.problems);
    const node: ProxyNode = {
      name: nodeName,
      addresses: [...this.options.addresses],
      ...(input.podCIDR ? { podCIDR: input.podCIDR } : {}),
    };
    const ports = new Map(model.ports.map((port) => [portKey(port), port]));
    const started = performance.now();
    const took = () => `${Math.round(performance.now() - started)} ms`;
    const applied = this.applied;
    if (!applied || JSON.stringify(applied.node) !== JSON.stringify(node)) {
      // A gateway without Services keeps its firewall untouched, unless an earlier run left rules.
      if (!applied && model.ports.length === 0) {
        this.untouched ??= !(await applier.hasRules());
        if (this.untouched) return;
      }
      this.untouched = false;
      this.applied = undefined;
      await applier.syncAll(model.ports, node);
      this.applied = { node, ports };
      this.options.observer?.proxySynced?.('full', (performance.now() - started) / 1000, ports.size);
      log.info(`${applier.mode} rules for ${ports.size} service port(s) synced in ${took()}`);
      return;
    }
    const changes = diff(applied.ports, ports);
    if (changes.length === 0) return;
    try {
      await applier.update(changes, node);
    } catch (err) {
      const why = err instanceof FullSyncNeeded ? err.message : `update failed: ${(err as Error).message}`;
      log.info(`syncing all rules (${why})`);
      this.applied = undefined;
      await applier.syncAll(model.ports, node);
    }
    this.applied = { node, ports };
    this.options.observer?.proxySynced?.('update', (performance.now() - started) / 1000, ports.size);
    log.info(`${changes.length} of ${ports.size} service port(s) updated in ${took()}`);
  }

  private reportProblems(problems: string[]): void {
    const text = problems.join('\n');
    if (text === this.problems) return;
    this.problems = text;
    for (const line of problems) this.options.log.info(`skipped: ${line}`);
  }
}

function diff(before: Map<string, ServicePort>, after: Map<string, ServicePort>): PortChange[] {
  const changes: PortChange[] = [];
  for (const [key, old] of before) {
    const next = after.get(key);
    if (!next) changes.push({ before: old });
    else if (!samePort(old, next)) changes.push({ before: old, after: next });
  }
  for (const [key, next] of after) if (!before.has(key)) changes.push({ after: next });
  return changes;
}
