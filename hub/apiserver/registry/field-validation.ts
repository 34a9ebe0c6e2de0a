// fieldValidation on create, update and patch, as kube-apiserver does it: fields the kind does
// not have and keys named twice are an error with `Strict` (what kubectl 1.27+ sends by
// default), a warning with `Warn` (the server's default, printed by kubectl as `Warning: …`),
// and nothing with `Ignore`. In every mode the unknown fields are dropped before the object is
// stored. Writes made inside the hub (controllers, edge sync) carry no mode and are not checked.
import { badRequest, invalid, notSupported } from '../../../api/errors.js';
import type { ResourceInfo } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import type { Schema } from '../openapi/schema-builders.js';
import { dropFields, fieldPathText, unknownFieldPaths } from '../openapi/unknown-fields.js';

export const fieldValidationModes = ['Ignore', 'Strict', 'Warn'] as const;
export type FieldValidation = (typeof fieldValidationModes)[number];

export interface FieldChecks {
  /** How to treat fields the kind does not have; absent: a write from inside the hub. */
  fieldValidation?: FieldValidation;
  /** Keys the request body named twice in one object (by path). */
  duplicateFields?: string[];
  /** Receives what the client should be warned of (`Warning` headers). */
  warnings?: string[];
}

/** The request's fieldValidation (Warn when absent), or 422 naming the options kind, as kube does. */
export function fieldValidationFrom(
  query: URLSearchParams,
  options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
): FieldValidation {
  const value = query.get('fieldValidation') ?? '';
  if (value === '') return 'Warn';
  if ((fieldValidationModes as readonly string[]).includes(value)) return value as FieldValidation;
  throw invalid(options, 'meta.k8s.io', '', [notSupported('fieldValidation', value, fieldValidationModes)]);
}

/**
 * Applies the request's mode to `obj` (which the caller owns): throws 400 for Strict, else drops
 * the unknown fields and, for Warn, adds the warnings. `old`: the stored object on update; an
 * unknown field it already had (stored before fields were checked) is dropped but not blamed on
 * this request.
 */
export function checkFields(
  info: ResourceInfo,
  schema: Schema,
  obj: KubeObject,
  old: KubeObject | undefined,
  checks: FieldChecks,
): void {
  const mode = checks.fieldValidation;
  if (mode === undefined) return;
  const { version, kind } = info;
  const unknown = unknownFieldPaths(schema, obj);
  const duplicates = mode === 'Ignore' ? [] : (checks.duplicateFields ?? []);
  if (unknown.length === 0 && duplicates.length === 0) return;
  const inherited =
    old && unknown.length > 0 ? new Set(unknownFieldPaths(schema, old).map(fieldPathText)) : undefined;
  const problems = [
    ...unknown
      .map(fieldPathText)
      .filter((path) => !inherited?.has(path))
      .map((path) => `unknown field ${JSON.stringify(path)}`),
    ...duplicates.map((path) => `duplicate field ${JSON.stringify(path)}`),
  ];
  if (mode === 'Strict' && problems.length > 0) {
    throw badRequest(
      `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: strict decoding error: ${problems.join(', ')}`,
    );
  }
  dropFields(obj, unknown);
  if (mode === 'Warn') checks.warnings?.push(...problems);
}
