// What a sync pass decides to do, as data: the planner returns these, the executor runs them
// (in order within a pod, pods in parallel). Each names the pod by uid; orphans use the uid
// of their runtime labels.
import type { BackoffEntry } from './backoff.js';
import type { ContainerKind } from './runtime-labels.js';

export type KillPodReason = 'Deleted' | 'Removed' | 'SandboxChanged' | 'Completed';

export type Action =
  | { type: 'createSandbox'; uid: string; attempt: number }
  | {
      /** Stop the containers (with the grace period), then the sandboxes. */
      type: 'killPod';
      uid: string;
      reason: KillPodReason;
      gracePeriodSeconds: number;
      containers: { id: string; name: string }[];
      sandboxIds: string[];
    }
  | { type: 'pullImage'; uid: string; container: string; image: string }
  | {
      type: 'startContainer';
      uid: string;
      sandboxId: string;
      /** The sandbox's attempt and IP: its CRI config is rebuilt from them. */
      sandboxAttempt: number;
      podIP?: string | undefined;
      container: string;
      kind: ContainerKind;
      restartCount: number;
      /** An ephemeral container's target: the running container whose processes it shares. */
      targetContainerId?: string | undefined;
      /** The crash-loop back-off entry to remember once started. */
      backoff?: { key: string; entry: BackoffEntry } | undefined;
    }
  | {
      type: 'killContainer';
      uid: string;
      containerId: string;
      container: string;
      gracePeriodSeconds: number;
      reason: 'Unhealthy' | 'SpecChanged' | 'Unknown';
      message: string;
    }
  | { type: 'wait'; uid: string; container: string; reason: string; message: string }
  | { type: 'removeContainer'; uid: string; containerId: string }
  | { type: 'removeSandbox'; uid: string; sandboxId: string }
  /** Everything of a deleting pod is stopped: report `finalized` and remove it. */
  | { type: 'finalize'; uid: string };

export type ActionType = Action['type'];
