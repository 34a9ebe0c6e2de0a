// Where the hub link gets the node's registration and status from: collectors (host facts,
// the container runtime) feeding the pure builders. Static facts are collected again at each
// registration (after every connect) and reused by the status checks in between.
import type { NodeRegistration, RegisteredTaint } from '../../api/mqtt/payloads/node-registration.js';
import type { NodeStatusReport } from '../../api/mqtt/payloads/node-status.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { collectHostInfo, collectHostUsage, type HostInfo } from './host-facts.js';
import { nodeLabels } from './node-labels.js';
import { buildRegistration } from './node-report.js';
import { buildNodeStatus } from './node-status-report.js';

export interface NodeReports {
  registration(): Promise<NodeRegistration>;
  status(): Promise<NodeStatusReport>;
}

export interface NodeStatusSourceOptions {
  nodeName: string;
  dataDir: string;
  runtime: ContainerRuntime;
  labels?: Record<string, string> | undefined;
  taints?: RegisteredTaint[] | undefined;
  now?: () => number;
}

export class NodeStatusSource implements NodeReports {
  private info: HostInfo | undefined;
  private readonly now: () => number;

  constructor(private readonly options: NodeStatusSourceOptions) {
    this.now = options.now ?? Date.now;
  }

  async registration(): Promise<NodeRegistration> {
    const { options } = this;
    const [info, runtime] = await Promise.all([
      collectHostInfo(options.dataDir),
      options.runtime.version().catch(() => undefined),
    ]);
    this.info = info;
    return buildRegistration({
      info,
      runtime,
      labels: nodeLabels(options.nodeName, info.arch, info.platform, options.labels),
      taints: options.taints ?? [],
      observedAt: this.now(),
    });
  }

  async status(): Promise<NodeStatusReport> {
    const { dataDir, runtime } = this.options;
    this.info ??= await collectHostInfo(dataDir);
    const [usage, conditions, images] = await Promise.all([
      collectHostUsage(dataDir),
      runtime.status().catch((err: Error) => err),
      runtime.listImages().catch(() => undefined),
    ]);
    return buildNodeStatus({ observedAt: this.now(), info: this.info, usage, runtime: conditions, images });
  }
}
