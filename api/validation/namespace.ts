// Namespace rules (ValidateNamespace / ValidateNamespaceStatusUpdate). The name's DNS-label
// rule is applied with the metadata; here are the finalizers and the phase.

import { type FieldError, invalidValue, notSupported } from '../errors.js';
import type { KubeObject } from '../types.js';
import { readRecord, readString, readStrings } from './field-readers.js';
import { isQualifiedName } from './name-formats.js';

const standardFinalizers = ['kubernetes', 'orphan', 'foregroundDeletion'];
const phases = ['Active', 'Terminating'];

export function validateNamespace(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  for (const name of readStrings(errs, spec.finalizers, 'spec.finalizers')) {
    errs.push(...isQualifiedName(name).map((m) => invalidValue('spec.finalizers', name, m)));
    // Unqualified names are reserved for Kubernetes' own finalizers.
    if (!name.includes('/') && !standardFinalizers.includes(name)) {
      errs.push(
        invalidValue(
          'spec.finalizers',
          name,
          'name is neither a standard finalizer name nor is it fully qualified',
        ),
      );
    }
  }
  errs.push(...validateNamespaceStatus(obj));
  return errs;
}

export function validateNamespaceStatus(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = readRecord(errs, obj.status, 'status') ?? {};
  const phase = readString(errs, status.phase, 'status.phase');
  if (phase !== undefined && !phases.includes(phase)) errs.push(notSupported('status.phase', phase, phases));
  return errs;
}
