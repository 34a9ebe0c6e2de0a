// The node's pod network: the bridge conflist for the pod CIDR the hub assigned (node IPAM →
// Node spec.podCIDR → desired state). Until it is written, pods other than host-network ones
// wait (PodManager's podCidrReady). The file is written in place, never renamed into the conf
// dir: containerd 1.6 picks up a conflist created in conf_dir within ~1 s but ignores one
// renamed into it (firmware-notes/host-runtime.md §1).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../api/logger.js';
import { bridgeConflist, type NetworkNames } from './containerd-config.js';

export const conflistFileName = '10-flotilla.conflist';

export interface ConflistTarget extends NetworkNames {
  confDir: string;
  /** host-local IPAM's allocation records: private to this agent. */
  ipamDataDir: string;
}

/** Writes the bridge conflist for a pod CIDR; answers whether the file changed. */
export type ConflistWriter = (podCidr: string) => boolean;

export function writeBridgeConflist(target: ConflistTarget, podCidr: string): boolean {
  const { confDir, ipamDataDir, ...names } = target;
  const content = bridgeConflist({ ...names, podCidr, ipamDataDir });
  const path = join(confDir, conflistFileName);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) return false;
  mkdirSync(confDir, { recursive: true });
  mkdirSync(ipamDataDir, { recursive: true });
  writeFileSync(path, content);
  return true;
}

/**
 * Follows the pod CIDR of the desired state. Without a writer the runtime's own CNI is assumed
 * configured (an external runtime without --cni-conf-dir), so pods never wait.
 */
export class PodNetwork {
  private applied: string | undefined;

  constructor(
    private readonly writer: ConflistWriter | undefined,
    private readonly log: Logger,
    /** The conflist was (re)written: the runtime's NetworkReady is about to change. */
    private readonly written: () => void = () => {},
  ) {}

  /** The pod CIDR in use, once its conflist is written. */
  get podCidr(): string | undefined {
    return this.applied;
  }

  ready(): boolean {
    return !this.writer || this.applied !== undefined;
  }

  /** A pod CIDR is never unassigned (Kubernetes): an absent one keeps the current network. */
  apply(podCidr: string | undefined): void {
    if (!this.writer || podCidr === undefined || podCidr === this.applied) return;
    try {
      const changed = this.writer(podCidr);
      this.applied = podCidr;
      if (changed) {
        this.log.info(`bridge conflist written for pod CIDR ${podCidr}`);
        this.written();
      }
    } catch (err) {
      this.log.warn(`conflist for ${podCidr} not written: ${(err as Error).message}`);
    }
  }
}
