// Applies planPodRoutes with iproute2 in the agent's network namespace. A peer whose address is
// not on a directly connected network cannot be a next hop ("Nexthop has invalid gateway"):
// host-gw needs one L2 segment, so that route is reported and skipped; the others still apply.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Logger } from '../../api/logger.js';
import type { PodRoute } from '../../api/mqtt/payloads/pod-routes.js';
import { type InstalledRoute, planPodRoutes, podRouteProtocol } from './pod-routes.js';

const run = promisify(execFile);

export interface HostRoutesOptions {
  /** This node's addresses (its own next hops are never routes). */
  addresses: () => readonly string[];
  log: Logger;
  /** A named network namespace to act in (`ip -n`); default: the agent's own. */
  netns?: string;
}

export class HostRoutes {
  private queue: Promise<void> = Promise.resolve();
  private readonly unreachable = new Set<string>();
  constructor(private readonly options: HostRoutesOptions) {}

  /** Converges this node's pod routes; calls are applied one at a time, in order, and never throw. */
  apply(routes: readonly PodRoute[], ownPodCidr: string | undefined): Promise<void> {
    this.queue = this.queue.then(() =>
      this.converge(routes, ownPodCidr).catch((err: Error) =>
        this.options.log.warn(`not applied: ${err.message}`),
      ),
    );
    return this.queue;
  }

  /** Removes every route this agent installed (cleanup-rules). */
  async removeAll(): Promise<number> {
    const installed = await this.installed();
    for (const route of installed) await this.ipRoute('del', route.dst, 'proto', String(podRouteProtocol));
    return installed.length;
  }

  async installed(): Promise<InstalledRoute[]> {
    const out = await this.ipRoute('show', 'proto', String(podRouteProtocol));
    const parsed = JSON.parse(out.trim() || '[]') as Array<{ dst?: unknown; gateway?: unknown }>;
    return parsed
      .filter((r): r is { dst: string; gateway?: string } => typeof r.dst === 'string')
      .map((r) => (typeof r.gateway === 'string' ? { dst: r.dst, gateway: r.gateway } : { dst: r.dst }));
  }

  private async converge(routes: readonly PodRoute[], ownPodCidr: string | undefined): Promise<void> {
    const plan = planPodRoutes(routes, await this.installed(), {
      ...(ownPodCidr ? { podCIDR: ownPodCidr } : {}),
      addresses: this.options.addresses(),
    });
    for (const dst of plan.remove) await this.ipRoute('del', dst, 'proto', String(podRouteProtocol));
    for (const route of plan.replace) {
      try {
        await this.ipRoute('replace', route.podCIDR, 'via', route.via, 'proto', String(podRouteProtocol));
        this.unreachable.delete(route.node);
      } catch (err) {
        // Said once per node until it becomes reachable, not on every desired state.
        if (this.unreachable.has(route.node)) continue;
        this.unreachable.add(route.node);
        this.options.log.warn(
          `no route to node ${route.node}'s pods (${route.podCIDR}) via ${route.via}: ${(err as Error).message.trim()}; host-gw routing needs the gateways on one L2 segment`,
        );
      }
    }
  }

  private async ipRoute(...args: string[]): Promise<string> {
    try {
      const netns = this.options.netns ? ['-n', this.options.netns] : [];
      const { stdout } = await run('ip', [...netns, '-j', 'route', ...args]);
      return stdout;
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr;
      throw new Error(stderr?.trim() || (err as Error).message);
    }
  }
}
