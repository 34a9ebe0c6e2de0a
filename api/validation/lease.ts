// coordination.k8s.io/v1 Lease rules (ValidateLeaseSpec), used by node heartbeats and
// leader election.

import { type FieldError, invalidValue } from '../errors.js';
import type { KubeObject } from '../types.js';
import { checkNonNegative } from './field-errors.js';
import { readInteger, readRecord, readString } from './field-readers.js';

export function validateLease(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  const duration = readInteger(errs, spec.leaseDurationSeconds, 'spec.leaseDurationSeconds');
  if (duration !== undefined && duration <= 0) {
    errs.push(invalidValue('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  }
  checkNonNegative(
    errs,
    readInteger(errs, spec.leaseTransitions, 'spec.leaseTransitions'),
    'spec.leaseTransitions',
  );
  readString(errs, spec.holderIdentity, 'spec.holderIdentity');
  for (const key of ['acquireTime', 'renewTime']) {
    const time = readString(errs, spec[key], `spec.${key}`);
    if (time !== undefined && Number.isNaN(Date.parse(time))) {
      errs.push(invalidValue(`spec.${key}`, time, 'must be an RFC 3339 timestamp'));
    }
  }
  return errs;
}
