// ObjectMeta rules shared by every kind (apimachinery ValidateObjectMeta and
// ValidateObjectMetaUpdate): name formats, namespace scope, labels, annotations, owner
// references, finalizers, and the fields an update may never change.
import { type FieldError, forbidden, invalidValue, required } from '../errors.js';
import { checkNonNegative, immutable, requiredBecause } from './field-errors.js';
import {
  isRecord,
  type JsonRecord,
  readInteger,
  readRecords,
  readString,
  readStrings,
} from './field-readers.js';
import { validateAnnotations, validateLabelName, validateLabels } from './labels.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  pathSegmentNameProblems,
} from './name-formats.js';

/** Which DNS rule a kind's names follow (kube's NameIsDNSSubdomain / Label / 1035Label). */
/** `pathSegment`: any name that can sit in a URL path (kube's ValidateRBACName: `system:view`). */
export type NameFormat = 'subdomain' | 'label' | 'dns1035' | 'pathSegment';

export interface MetaRules {
  namespaced: boolean;
  nameFormat: NameFormat;
}

const nameChecks: Record<NameFormat, (value: string) => string[]> = {
  subdomain: isDNS1123Subdomain,
  label: isDNS1123Label,
  dns1035: isDNS1035Label,
  pathSegment: pathSegmentNameProblems,
};

/** A generateName prefix may end in '-': the random suffix makes the final name valid. */
function maskTrailingDash(prefix: string): string {
  return prefix.length > 1 && prefix.endsWith('-') ? `${prefix.slice(0, -1)}a` : prefix;
}

export function validateObjectMeta(value: unknown, rules: MetaRules, path = 'metadata'): FieldError[] {
  if (!isRecord(value)) return [required(path)];
  const errs: FieldError[] = [];
  const check = nameChecks[rules.nameFormat];
  const generateName = readString(errs, value.generateName, `${path}.generateName`);
  if (generateName) {
    for (const m of check(maskTrailingDash(generateName)))
      errs.push(invalidValue(`${path}.generateName`, generateName, m));
  }
  const name = readString(errs, value.name, `${path}.name`);
  if (name) {
    for (const m of check(name)) errs.push(invalidValue(`${path}.name`, name, m));
  } else if (!generateName) {
    errs.push(requiredBecause(`${path}.name`, 'name or generateName is required'));
  }
  errs.push(...validateNamespace(readString(errs, value.namespace, `${path}.namespace`), rules, path));
  checkNonNegative(errs, readInteger(errs, value.generation, `${path}.generation`), `${path}.generation`);
  errs.push(...validateLabels(value.labels, `${path}.labels`));
  errs.push(...validateAnnotations(value.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(value.ownerReferences, `${path}.ownerReferences`));
  for (const f of readStrings(errs, value.finalizers, `${path}.finalizers`)) {
    errs.push(...validateLabelName(f, `${path}.finalizers`));
  }
  return errs;
}

function validateNamespace(namespace: string | undefined, rules: MetaRules, path: string): FieldError[] {
  if (!rules.namespaced) {
    return namespace ? [forbidden(`${path}.namespace`, 'not allowed on this type')] : [];
  }
  if (!namespace) return [required(`${path}.namespace`)];
  return isDNS1123Label(namespace).map((m) => invalidValue(`${path}.namespace`, namespace, m));
}

/** Errors carry the list path without an index, as kube's validateOwnerReference does. */
function validateOwnerReferences(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let controller = '';
  for (const [ref] of readRecords(errs, value, path)) {
    const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : '';
    const version = apiVersion.split('/').pop() ?? '';
    if (!version) errs.push(invalidValue(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    for (const key of ['kind', 'name', 'uid'] as const) {
      const field = typeof ref[key] === 'string' ? ref[key] : '';
      if (!field) errs.push(invalidValue(`${path}.${key}`, field, 'must not be empty'));
    }
    if (ref.controller === true) {
      const current = `${String(ref.kind)}/${String(ref.name)}`;
      if (controller) {
        errs.push(
          invalidValue(
            path,
            value,
            `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${current}`,
          ),
        );
      } else {
        controller = current;
      }
    }
  }
  return errs;
}

/**
 * Update-only rules. A missing (or, as kubectl sends it, null) uid or creationTimestamp is not
 * a change: kube-apiserver copies them from the stored object before validating
 * (rest.BeforeUpdate), and so should the hub.
 */
export function validateObjectMetaUpdate(value: unknown, oldValue: unknown, path = 'metadata'): FieldError[] {
  if (!isRecord(value) || !isRecord(oldValue)) return [];
  const errs: FieldError[] = [];
  for (const key of ['name', 'namespace']) {
    if ((value[key] ?? '') !== (oldValue[key] ?? ''))
      errs.push(immutable(`${path}.${key}`, value[key] ?? ''));
  }
  for (const key of ['uid', 'creationTimestamp']) {
    if (value[key] != null && oldValue[key] != null && value[key] !== oldValue[key]) {
      errs.push(immutable(`${path}.${key}`, value[key]));
    }
  }
  errs.push(...validateNoNewFinalizersWhileDeleting(value, oldValue, path));
  return errs;
}

function validateNoNewFinalizersWhileDeleting(
  value: JsonRecord,
  oldValue: JsonRecord,
  path: string,
): FieldError[] {
  if (!oldValue.deletionTimestamp) return [];
  const before = new Set(Array.isArray(oldValue.finalizers) ? oldValue.finalizers : []);
  const added = (Array.isArray(value.finalizers) ? value.finalizers : []).filter((f) => !before.has(f));
  if (added.length === 0) return [];
  return [
    forbidden(
      `${path}.finalizers`,
      `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
    ),
  ];
}
