// Pod create, status and ephemeral-containers rules. The spec itself is checked by pod-spec.ts;
// updates by pod-update.ts.

import { validateDisconnectAnnotation } from '../disconnect-policy.js';
import { type FieldError, forbidden, notSupported } from '../errors.js';
import type { KubeObject } from '../types.js';
import { validateEphemeralContainersUpdate, validateNoEphemeralContainers } from './ephemeral-containers.js';
import { readRecord, readString } from './field-readers.js';
import { validatePodSpec } from './pod-spec.js';
import { validatePodUpdate } from './pod-update.js';

export const podPhases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const qosClasses = ['Guaranteed', 'Burstable', 'BestEffort'];

export function validatePod(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validatePodSpec(obj.spec, 'spec', { forPod: true });
  errs.push(
    ...validateDisconnectAnnotation(obj.metadata?.annotations, {
      path: 'metadata.annotations',
      ...(old ? { old: { annotations: old.metadata?.annotations } } : {}),
    }),
  );
  if (old) errs.push(...validatePodUpdate(obj, old));
  // They are added to an existing pod through pods/{name}/ephemeralcontainers only.
  else
    errs.push(
      ...validateNoEphemeralContainers(obj.spec, 'spec.ephemeralContainers', 'cannot be set on create'),
    );
  return errs;
}

export function validatePodStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = readRecord(errs, obj.status, 'status') ?? {};
  const oldStatus = readRecord([], old.status, 'status') ?? {};
  const phase = readString(errs, status.phase, 'status.phase');
  if (phase !== undefined && !podPhases.includes(phase))
    errs.push(notSupported('status.phase', phase, podPhases));
  // Succeeded and Failed are final: a kubelet restarting must not resurrect a finished pod.
  const oldPhase = oldStatus.phase;
  if ((oldPhase === 'Succeeded' || oldPhase === 'Failed') && phase !== undefined && phase !== oldPhase) {
    errs.push(
      forbidden('status.phase', `may not be changed from terminal phase ${JSON.stringify(oldPhase)}`),
    );
  }
  const qos = readString(errs, status.qosClass, 'status.qosClass');
  if (qos !== undefined && !qosClasses.includes(qos))
    errs.push(notSupported('status.qosClass', qos, qosClasses));
  if (oldStatus.qosClass !== undefined && qos !== undefined && qos !== oldStatus.qosClass) {
    errs.push(forbidden('status.qosClass', 'field is immutable'));
  }
  return errs;
}

/** pods/{name}/ephemeralcontainers: the whole pod is valid and only ephemeral containers were added. */
export function validatePodEphemeralContainers(obj: KubeObject, old: KubeObject): FieldError[] {
  return [
    ...validatePodSpec(obj.spec, 'spec', { forPod: true }),
    ...validateEphemeralContainersUpdate(obj, old),
  ];
}
