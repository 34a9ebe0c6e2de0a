// What the agent remembers about a pod between sync passes, in memory only (like the kubelet:
// back-off, pull attempts and the reason cache start over after an agent restart; everything
// else is read back from the runtime). The planner reads these; the executor writes them.
import type { PodStatus } from '../../api/mqtt/payloads/pod-status.js';
import type { BackoffEntry } from './backoff.js';
import type { PodRuntime } from './pod-runtime-view.js';

export interface PullRecord {
  inFlight: boolean;
  /** Clock time the last attempt ended (or started, while in flight); 0 before any. */
  lastAttemptAt: number;
  ok: boolean;
  message: string;
  backoff?: BackoffEntry | undefined;
}

/** Why a container is not running, for its waiting state (kubelet's reasonCache). */
export interface WaitingReason {
  reason: string;
  message: string;
}

export interface PodRecord {
  /** Crash-loop back-off per `<container name>/<spec hash>`. */
  crashBackoff: Map<string, BackoffEntry>;
  /** Image pulls per image reference as the spec writes it. */
  pulls: Map<string, PullRecord>;
  reasons: Map<string, WaitingReason>;
  /** Set once the deletion is done and reported; nothing more happens to the pod. */
  finalized: boolean;
  /** The last pod IP seen: a completed pod keeps it in its status after its sandbox stops. */
  podIP?: string | undefined;
  /** When the agent first saw the pod (or its oldest sandbox's creation, after a restart). */
  startTime?: number | undefined;
  lastReported?: PodStatus | undefined;
  /** A phase, once Succeeded or Failed, never changes again (kubelet's terminal phase rule). */
  terminalPhase?: 'Succeeded' | 'Failed' | undefined;
  /**
   * The last failed sandbox creation: no new attempt until its back-off has passed (10 s doubling
   * to 5 min), so a gateway that cannot create sandboxes does not retry, and report, every pass.
   */
  sandboxFailure?: { at: number; backoff: BackoffEntry } | undefined;
  /** Set while the pod is held stopped by its disconnect policy (disconnect-holds.ts): why. */
  hold?: WaitingReason | undefined;
  /**
   * Ephemeral containers this agent started: never again, even once their instance is gone with
   * an old sandbox (after an agent restart the runtime's instances tell the same).
   */
  ephemeralStarted?: Set<string> | undefined;
}

export function newPodRecord(): PodRecord {
  return { crashBackoff: new Map(), pulls: new Map(), reasons: new Map(), finalized: false };
}

/** The records of every pod the agent knows, by uid. */
export class PodRecords {
  readonly all = new Map<string, PodRecord>();

  /** The pod's record, created empty on first use. */
  of(uid: string): PodRecord {
    let record = this.all.get(uid);
    if (!record) {
      record = newPodRecord();
      this.all.set(uid, record);
    }
    return record;
  }
}

/** A probe that decided its container must be restarted. */
export interface UnhealthyVerdict {
  probe: 'Liveness' | 'Startup';
  message: string;
}

export function crashBackoffKey(containerName: string, hash: string): string {
  return `${containerName}/${hash}`;
}

/** Start time (the oldest sandbox's, after an agent restart) and the last pod IP seen. */
export function observeRuntime(record: PodRecord, runtime: PodRuntime | undefined, now: number): void {
  if (record.startTime === undefined) {
    const created = (runtime?.sandboxes ?? []).map((s) => s.createdAt).filter((t) => t > 0);
    record.startTime = created.length > 0 ? Math.min(...created) : now;
  }
  const sandbox = runtime?.sandboxes[0];
  if (sandbox?.state === 'READY' && sandbox.ip) record.podIP = sandbox.ip;
}
