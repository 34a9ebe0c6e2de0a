// Entry points the API server calls after defaulting: a kind's own rules (each kind's definition
// names them) plus the ObjectMeta rules every kind shares. Each returns FieldErrors; the server
// wraps a non-empty list with `invalid(kind, group, name, errors)` into a 422 Status.

import type { FieldError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { type NameFormat, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import type { StatusRule } from './status.js';

export type { StatusRule } from './status.js';

/** Kind-specific rules; `old` is passed on update so immutability can be checked. */
export type KindRule = (obj: KubeObject, old?: KubeObject) => FieldError[];

/** What validation needs to know of a kind. */
export interface KindValidation {
  namespaced: boolean;
  /** Format of metadata.name; a DNS subdomain when absent. */
  nameFormat?: NameFormat;
  validate?: KindRule;
  validateStatus?: StatusRule;
  /** Rules of writes through other subresources that change the object (pods/ephemeralcontainers). */
  subresourceRules?: Readonly<Record<string, StatusRule>>;
}

function metaRules(kind: KindValidation) {
  return { namespaced: kind.namespaced, nameFormat: kind.nameFormat ?? 'subdomain' };
}

export function validateCreate(kind: KindValidation, obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, metaRules(kind));
  errs.push(...(kind.validate?.(obj) ?? []));
  return errs;
}

export function validateUpdate(kind: KindValidation, obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, metaRules(kind));
  errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
  errs.push(...(kind.validate?.(obj, old) ?? []));
  return errs;
}

export function validateStatusUpdate(kind: KindValidation, obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, metaRules(kind));
  errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
  errs.push(...(kind.validateStatus?.(obj, old) ?? []));
  return errs;
}

/** A write through a subresource other than status: the kind's rule for it, if any. */
export function validateSubresourceUpdate(
  kind: KindValidation,
  subresource: string,
  obj: KubeObject,
  old: KubeObject,
): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, metaRules(kind));
  errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
  errs.push(...(kind.subresourceRules?.[subresource]?.(obj, old) ?? []));
  return errs;
}
