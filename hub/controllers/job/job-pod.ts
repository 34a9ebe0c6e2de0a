// A Job's pod: the template, owned by the Job, held by the tracking finalizer until counted;
// an Indexed Job's pod also carries its completion index (annotation, label, hostname and the
// JOB_COMPLETION_INDEX variable, as in https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode).
import type { KubeObject } from '../../../api/types.js';
import { newControllerRef } from '../objects/controller-ref.js';
import { annotations, finalizers, labels } from '../objects/well-known.js';
import type { Job } from './job-view.js';

export function newJobPod(job: Job, index: number | undefined): KubeObject {
  const template = job.spec?.template ?? {};
  const spec = structuredClone(template.spec ?? {}) as Record<string, unknown> & {
    containers?: { env?: unknown[] }[];
  };
  const podLabels = { ...template.metadata?.labels };
  const podAnnotations = { ...template.metadata?.annotations };
  const name = job.metadata.name ?? '';
  if (index !== undefined) {
    podAnnotations[annotations.jobCompletionIndex] = String(index);
    podLabels[labels.jobCompletionIndex] = String(index);
    spec.hostname ??= `${name}-${index}`;
    const env = {
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${annotations.jobCompletionIndex}']` } },
    };
    for (const container of spec.containers ?? []) container.env = [...(container.env ?? []), env];
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata.namespace,
      labels: podLabels,
      ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}),
      ownerReferences: [newControllerRef(job)],
      finalizers: [finalizers.jobTracking],
    },
    spec,
  };
}
