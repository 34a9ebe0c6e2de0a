// The seam between the service proxy's bookkeeping and the kernel: a RuleApplier turns service
// ports into rules and installs them, all at once or only the ports that changed. The iptables
// and nftables implementations build their payloads with the pure builders of this folder and run
// iptables-restore / nft; tests drive the real ones inside throwaway network namespaces.
import type { ProxyNode, ServicePort } from './service-port.js';

export type ProxyMode = 'iptables' | 'nftables';

export interface PortChange {
  /** What was applied for this port; undefined: the port is new. */
  before?: ServicePort;
  /** What it should be now; undefined: the port is gone. */
  after?: ServicePort;
}

/** An update the applier cannot do piecemeal: the caller syncs everything instead (not a failure). */
export class FullSyncNeeded extends Error {
  override name = 'FullSyncNeeded';
}

export interface RuleApplier {
  readonly mode: ProxyMode;
  /**
   * Installs exactly `ports`, replacing whatever Flotilla installed before (this process or an
   * earlier one) in place, atomically: no moment without rules, and nothing of anyone else touched.
   */
  syncAll(ports: readonly ServicePort[], node: ProxyNode): Promise<void>;
  /**
   * Rewrites only the changed ports. Needs a successful syncAll first (with the same node); when it
   * throws, the installed state is unknown and the caller syncs everything again.
   */
  update(changes: readonly PortChange[], node: ProxyNode): Promise<void>;
  /** Whether any Flotilla rules (of either mode) are in the kernel; reads only. */
  hasRules(): Promise<boolean>;
  /** Ends helper processes (nftables mode's long-lived `nft -i`); the rules stay. */
  close?(): void;
}
