// Node rules (ValidateNode / ValidateNodeUpdate): taints, pod CIDRs, provider ID, and the
// capacity and allocatable quantities the edge agent reports.

import { type FieldError, forbidden, invalidValue } from '../errors.js';
import { quantityError } from '../quantity.js';
import type { KubeObject } from '../types.js';
import { isRecord, readRecord, readStrings } from './field-readers.js';
import { isValidCIDR } from './network-formats.js';
import { validateTaints } from './tolerations.js';

export function validateNode(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  errs.push(...validateTaints(spec.taints, 'spec.taints'));
  const cidrs = readStrings(errs, spec.podCIDRs, 'spec.podCIDRs');
  cidrs.forEach((cidr, i) => {
    if (!isValidCIDR(cidr)) errs.push(invalidValue(`spec.podCIDRs[${i}]`, cidr, 'must be a valid CIDR'));
  });
  if (typeof spec.podCIDR === 'string' && spec.podCIDR !== '' && !isValidCIDR(spec.podCIDR)) {
    errs.push(invalidValue('spec.podCIDR', spec.podCIDR, 'must be a valid CIDR'));
  }
  errs.push(...validateNodeStatus(obj));
  if (old) errs.push(...validateNodeUpdate(spec, isRecord(old.spec) ? old.spec : {}));
  return errs;
}

/** Pod CIDRs and the provider ID are assigned once, by the IPAM and the cloud provider. */
function validateNodeUpdate(spec: Record<string, unknown>, oldSpec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const oldCIDRs = Array.isArray(oldSpec.podCIDRs) ? oldSpec.podCIDRs : [];
  const newCIDRs = Array.isArray(spec.podCIDRs) ? spec.podCIDRs : [];
  if (oldCIDRs.length > 0 && JSON.stringify(oldCIDRs) !== JSON.stringify(newCIDRs)) {
    errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (
    typeof oldSpec.providerID === 'string' &&
    oldSpec.providerID !== '' &&
    spec.providerID !== oldSpec.providerID
  ) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

export function validateNodeStatus(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = readRecord(errs, obj.status, 'status') ?? {};
  for (const list of ['capacity', 'allocatable']) {
    for (const [name, raw] of Object.entries(readRecord(errs, status[list], `status.${list}`) ?? {})) {
      const problem = quantityError(raw);
      if (problem) errs.push(invalidValue(`status.${list}[${name}]`, raw, problem));
    }
  }
  return errs;
}
