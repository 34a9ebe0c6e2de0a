// PersistentVolumeClaim rules (kube's ValidatePersistentVolumeClaimSpec and
// ValidatePersistentVolumeClaimUpdate), also applied to a StatefulSet's claim templates, and
// the access-mode and capacity checks PersistentVolumes share.
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../errors.js';
import { parseQuantity, quantityError } from '../quantity.js';
import type { KubeObject } from '../types.js';
import { jsonEqual } from './deep-equal.js';
import { requiredBecause } from './field-errors.js';
import { isRecord, type JsonRecord, readRecord, readString, readStrings } from './field-readers.js';
import { validateLabelSelector } from './label-selector.js';
import { isDNS1123Subdomain } from './name-formats.js';

export const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const volumeModes = ['Block', 'Filesystem'];

/** `accessModes`: at least one (`missing` says why, where kube does), each known, RWOP alone. */
export function validateAccessModes(value: unknown, path: string, missing?: string): FieldError[] {
  const errs: FieldError[] = [];
  const modes = readStrings(errs, value, path);
  if (modes.length === 0 && errs.length === 0)
    return [missing ? requiredBecause(path, missing) : required(path)];
  for (const mode of modes) {
    if (!accessModes.includes(mode)) errs.push(notSupported(path, mode, accessModes));
  }
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

/** A storage quantity: well formed and above zero (ValidatePositiveQuantityValue). */
export function validateStorageQuantity(value: unknown, path: string): FieldError[] {
  const problem = quantityError(value);
  if (problem) return [invalidValue(path, value, problem)];
  if (parseQuantity(value as string | number) <= 0)
    return [invalidValue(path, value, 'must be greater than zero')];
  return [];
}

export function validateStorageClassName(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = readString(errs, value, path);
  if (name) errs.push(...isDNS1123Subdomain(name).map((m) => invalidValue(path, name, m)));
  return errs;
}

export function validateVolumeMode(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mode = readString(errs, value, path);
  if (mode !== undefined && !volumeModes.includes(mode)) errs.push(notSupported(path, mode, volumeModes));
  return errs;
}

export function validateClaimSpec(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, value, path) ?? {};
  errs.push(
    ...validateAccessModes(spec.accessModes, `${path}.accessModes`, 'at least 1 access mode is required'),
  );
  if (spec.selector !== undefined && spec.selector !== null) {
    errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  }
  const resources = readRecord(errs, spec.resources, `${path}.resources`) ?? {};
  const requests = readRecord(errs, resources.requests, `${path}.resources.requests`) ?? {};
  // kube names the key under resources, not resources.requests.
  const storagePath = `${path}.resources[storage]`;
  if (requests.storage === undefined || requests.storage === null) errs.push(required(storagePath));
  else errs.push(...validateStorageQuantity(requests.storage, storagePath));
  errs.push(...validateStorageClassName(spec.storageClassName, `${path}.storageClassName`));
  errs.push(...validateVolumeMode(spec.volumeMode, `${path}.volumeMode`));
  const volumeName = readString(errs, spec.volumeName, `${path}.volumeName`);
  if (volumeName) {
    errs.push(
      ...isDNS1123Subdomain(volumeName).map((m) => invalidValue(`${path}.volumeName`, volumeName, m)),
    );
  }
  return errs;
}

export function validatePersistentVolumeClaim(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateClaimSpec(obj.spec, 'spec');
  if (old) errs.push(...validateClaimUpdate(obj, old));
  return errs;
}

/**
 * A claim's spec is fixed once created, so quotas and bindings cannot be gamed; the binder may
 * set volumeName once, and a bound claim may ask for more (never less) storage.
 */
function validateClaimUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = isRecord(obj.spec) ? structuredClone(obj.spec) : {};
  const before = isRecord(old.spec) ? structuredClone(old.spec) : {};
  if (!before.volumeName) before.volumeName = spec.volumeName;
  const errs: FieldError[] = [];
  const bound = isRecord(obj.status) && obj.status.phase === 'Bound';
  const wanted = storageRequest(spec);
  const had = storageRequest(before);
  if (bound && wanted !== undefined && had !== undefined) {
    if (parseQuantity(wanted as string) < parseQuantity(had as string)) {
      errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
    }
    setStorageRequest(spec, had);
  }
  delete spec.volumeAttributesClassName;
  delete before.volumeAttributesClassName;
  if (!jsonEqual(spec, before)) {
    errs.push(
      forbidden(
        'spec',
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    );
  }
  return errs;
}

function storageRequest(spec: JsonRecord): unknown {
  const resources = isRecord(spec.resources) ? spec.resources : {};
  const requests = isRecord(resources.requests) ? resources.requests : {};
  return quantityError(requests.storage) === undefined ? requests.storage : undefined;
}

function setStorageRequest(spec: JsonRecord, value: unknown): void {
  const resources = isRecord(spec.resources) ? spec.resources : {};
  const requests = isRecord(resources.requests) ? resources.requests : {};
  requests.storage = value;
}
