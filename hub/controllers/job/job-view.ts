// The Job fields the controller reads, and the pod facts it derives (kube's batch/v1 types).
import type { KubeObject } from '../../../api/types.js';
import { findCondition } from '../objects/conditions.js';
import type { Condition, Pod, PodTemplate } from '../objects/kinds.js';
import { isPodTerminal } from '../objects/pod-conditions.js';
import { annotations } from '../objects/well-known.js';

export interface JobSpecView {
  parallelism?: number;
  completions?: number | null;
  completionMode?: 'NonIndexed' | 'Indexed';
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  suspend?: boolean;
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
  template?: PodTemplate;
}

export interface UncountedPods {
  succeeded?: string[];
  failed?: string[];
}

export interface JobStatusView {
  active?: number;
  succeeded?: number;
  failed?: number;
  ready?: number;
  terminating?: number;
  startTime?: string;
  completionTime?: string;
  completedIndexes?: string;
  uncountedTerminatedPods?: UncountedPods;
  conditions?: Condition[];
}

export type Job = KubeObject & { spec?: JobSpecView; status?: JobStatusView };

/** A Job is finished once it carries Complete or Failed (JobFinished). */
export function finishedCondition(job: Job): Condition | undefined {
  const conditions = job.status?.conditions;
  return [findCondition(conditions, 'Complete'), findCondition(conditions, 'Failed')].find(
    (c) => c?.status === 'True',
  );
}

/** Finished from the Job's point of view: succeeded, failed, or deleted before succeeding. */
export function isPodFinished(pod: Pod): boolean {
  return isPodTerminal(pod) || pod.metadata.deletionTimestamp !== undefined;
}

/** A deleted pod that had not succeeded counts as failed (kube's isPodFailed). */
export function isPodFailed(pod: Pod): boolean {
  return isPodFinished(pod) && pod.status?.phase !== 'Succeeded';
}

export function completionIndex(pod: Pod): number | undefined {
  const text = pod.metadata.annotations?.[annotations.jobCompletionIndex];
  const index = Number(text);
  return text !== undefined && Number.isInteger(index) && index >= 0 ? index : undefined;
}
