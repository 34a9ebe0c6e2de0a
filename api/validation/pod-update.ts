// Pod updates (ValidatePodUpdate): a running pod's spec is fixed except for a few fields. The
// allowed changes are checked one by one, then copied from the old spec ("munged") so that
// any remaining difference is a forbidden change.

import { type FieldError, forbidden, invalidValue } from '../errors.js';
import type { KubeObject } from '../types.js';
import { changedPaths, jsonEqual } from './deep-equal.js';
import { isRecord, type JsonRecord } from './field-readers.js';
import { inclusiveRangeError } from './network-formats.js';

const maxInt32 = 2147483647;

export const podUpdateMessage =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function validatePodUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const oldSpec = isRecord(old.spec) ? old.spec : {};
  const errs: FieldError[] = [];
  const munged: JsonRecord = structuredClone(spec);
  for (const key of ['containers', 'initContainers']) {
    const now = Array.isArray(spec[key]) ? spec[key] : [];
    const before = Array.isArray(oldSpec[key]) ? oldSpec[key] : [];
    if (now.length !== before.length) {
      return [forbidden(`spec.${key}`, 'pod updates may not add or remove containers')];
    }
    munged[key] = now.map((c, i) => {
      const previous = before[i];
      return isRecord(c) && isRecord(previous) ? { ...c, image: previous.image } : c;
    });
  }
  errs.push(...validateDeadlineUpdate(spec.activeDeadlineSeconds, oldSpec.activeDeadlineSeconds));
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations));
  munged.tolerations = oldSpec.tolerations;
  errs.push(...validateOnlyRemovedGates(spec.schedulingGates, oldSpec.schedulingGates));
  munged.schedulingGates = oldSpec.schedulingGates;
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && spec.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
  const changed = changedPaths(oldSpec, munged, 'spec');
  if (changed.length > 0) errs.push(forbidden('spec', `${podUpdateMessage}\nchanged: ${changed.join(', ')}`));
  return errs;
}

/** The deadline may be set or shortened, never lengthened or removed. */
function validateDeadlineUpdate(value: unknown, oldValue: unknown): FieldError[] {
  const path = 'spec.activeDeadlineSeconds';
  if (typeof value === 'number') {
    if (value < 0 || value > maxInt32) return [invalidValue(path, value, inclusiveRangeError(0, maxInt32))];
    if (typeof oldValue === 'number' && oldValue < value) {
      return [invalidValue(path, value, 'must be less than or equal to previous value')];
    }
    return [];
  }
  if (typeof oldValue === 'number')
    return [invalidValue(path, null, 'must not update from a positive integer to nil value')];
  return [];
}

/** Existing tolerations must survive unchanged apart from tolerationSeconds. */
function validateOnlyAddedTolerations(value: unknown, oldValue: unknown): FieldError[] {
  const now = Array.isArray(value) ? value.filter(isRecord) : [];
  const before = Array.isArray(oldValue) ? oldValue.filter(isRecord) : [];
  for (const previous of before) {
    const kept = now.some((t) => jsonEqual({ ...previous, tolerationSeconds: t.tolerationSeconds }, t));
    if (!kept)
      return [
        forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'),
      ];
  }
  return [];
}

/** Scheduling gates can only be removed: adding one to a pod that may already be bound is meaningless. */
function validateOnlyRemovedGates(value: unknown, oldValue: unknown): FieldError[] {
  const names = (list: unknown) =>
    Array.isArray(list) ? list.filter(isRecord).map((g) => String(g.name)) : [];
  const before = new Set(names(oldValue));
  const added = names(value).filter((n) => !before.has(n));
  return added.map((n) =>
    forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${n}'`),
  );
}
