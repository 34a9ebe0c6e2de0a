// Status subresource rules. Status writers are controllers and edge agents, not users, so
// these stay light: counts are non-negative and enums and addresses are well formed.

import { type FieldError, invalidValue, notSupported } from '../errors.js';
import type { KubeObject } from '../types.js';
import { checkNonNegative } from './field-errors.js';
import { isRecord, readInteger, readRecord, readRecords, readString } from './field-readers.js';
import { ipAddressMessage, isValidIP } from './network-formats.js';

export type StatusRule = (obj: KubeObject, old: KubeObject) => FieldError[];

function counts(...fields: string[]): StatusRule {
  return (obj) => {
    const errs: FieldError[] = [];
    const status = readRecord(errs, obj.status, 'status') ?? {};
    for (const field of ['observedGeneration', ...fields]) {
      checkNonNegative(errs, readInteger(errs, status[field], `status.${field}`), `status.${field}`);
    }
    return errs;
  };
}

export function validateServiceStatus(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = readRecord(errs, obj.status, 'status') ?? {};
  const balancer = isRecord(status.loadBalancer) ? status.loadBalancer : {};
  for (const [ingress, path] of readRecords(errs, balancer.ingress, 'status.loadBalancer.ingress')) {
    const ip = readString(errs, ingress.ip, `${path}.ip`);
    if (ip && !isValidIP(ip)) errs.push(invalidValue(`${path}.ip`, ip, ipAddressMessage));
  }
  return errs;
}

export const deploymentStatus = counts(
  'replicas',
  'updatedReplicas',
  'readyReplicas',
  'availableReplicas',
  'unavailableReplicas',
  'collisionCount',
);

export const replicaSetStatus = counts(
  'replicas',
  'fullyLabeledReplicas',
  'readyReplicas',
  'availableReplicas',
);

export const daemonSetStatus = counts(
  'currentNumberScheduled',
  'numberMisscheduled',
  'desiredNumberScheduled',
  'numberReady',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
  'collisionCount',
);

export const jobStatus = counts('active', 'succeeded', 'failed', 'ready', 'terminating');

export const statefulSetStatus = counts(
  'replicas',
  'readyReplicas',
  'currentReplicas',
  'updatedReplicas',
  'availableReplicas',
  'collisionCount',
);

/** An Ingress's status is its load balancer addresses, as a Service's. */
export const validateIngressStatus = validateServiceStatus;

const claimPhases = ['Pending', 'Bound', 'Lost'];

export function validatePersistentVolumeClaimStatus(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = readRecord(errs, obj.status, 'status') ?? {};
  const phase = readString(errs, status.phase, 'status.phase');
  if (phase && !claimPhases.includes(phase)) errs.push(notSupported('status.phase', phase, claimPhases));
  return errs;
}
