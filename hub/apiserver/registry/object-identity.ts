// What makes an object the object a URL names — apiVersion, kind, metadata.name, metadata.uid —
// and which request may not change it. A PUT body is checked as kube-apiserver's decoder and
// checkName do (400, or the 409 UID precondition); the result of a patch as its patch handler
// does: a kind or version the resource does not have fails to decode (422 on field `patch`), a
// different name is a 400, a different uid fails ValidateObjectMetaUpdate (422 "field is
// immutable"). Left out, apiVersion, kind and uid keep their stored values, as kube defaults them.
import { ApiError, badRequest, conflict, type GroupResource, invalid } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { immutable } from '../../../api/validation/field-errors.js';

export interface ExpectedType {
  apiVersion: string;
  kind: string;
}

/** PUT and POST bodies: a stated apiVersion and kind must be the resource's own. */
export function checkBodyType(body: { apiVersion?: unknown; kind?: unknown }, expected: ExpectedType): void {
  checkTypeMetaField(body.apiVersion, 'apiVersion');
  checkTypeMetaField(body.kind, 'kind');
  if (body.apiVersion !== undefined && body.apiVersion !== expected.apiVersion) {
    throw badRequest(
      `the API version in the data (${shown(body.apiVersion)}) does not match the expected API version (${expected.apiVersion})`,
    );
  }
  if (body.kind !== undefined && body.kind !== expected.kind) {
    throw badRequest(
      `the kind in the data (${shown(body.kind)}) does not match the expected kind (${expected.kind})`,
    );
  }
}

/**
 * apiVersion and kind are read before anything else, as strings (kube's SimpleMetaFactory); any
 * other JSON type fails there with Go's unmarshal error. null reads as absent, as in Go.
 */
function checkTypeMetaField(value: unknown, field: 'apiVersion' | 'kind'): void {
  if (value === undefined || value === null || typeof value === 'string') return;
  const goType = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
  throw badRequest(
    `couldn't get version/kind; json parse error: json: cannot unmarshal ${goType} into Go struct field .${field} of type string`,
  );
}

/**
 * A value from a request body in a message: strings as they are, anything else as JSON. Never
 * String(), which throws on an object whose toString a client replaced with data.
 */
export function shown(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

/** checkName in kube's rest handlers: a body or patch result may not name another object. */
export function checkNameMatchesUrl(obj: KubeObject, name: string): void {
  const stated = obj.metadata.name;
  if (stated === undefined || stated === '') throw badRequest('name must be provided');
  if (stated !== name) {
    throw badRequest(
      `the name of the object (${shown(stated)}) does not match the name on the URL (${name})`,
    );
  }
}

/** A PUT's uid is a precondition (rest.DefaultUpdatedObjectInfo): a different one is a 409. */
export function checkUidPrecondition(requested: KubeObject, old: KubeObject, gr: GroupResource): void {
  const uid = requested.metadata.uid;
  if (uid && uid !== old.metadata.uid) {
    throw conflict(
      gr,
      old.metadata.name ?? '',
      `Precondition failed: UID in precondition: ${shown(uid)}, UID in object meta: ${old.metadata.uid}`,
    );
  }
}

/**
 * The object a patch produced: same type, same name, same uid as the stored one. Fills in
 * apiVersion, kind and uid when the patch removed them.
 */
export function checkPatchedIdentity(
  patched: KubeObject,
  old: KubeObject,
  expected: ExpectedType & { group: string },
  name: string,
): void {
  patched.apiVersion ??= expected.apiVersion;
  patched.kind ??= expected.kind;
  if (patched.apiVersion !== expected.apiVersion || patched.kind !== expected.kind) {
    throw undecodablePatch(patched);
  }
  checkNameMatchesUrl(patched, name);
  const uid = patched.metadata.uid;
  if (uid === undefined || uid === '') patched.metadata.uid = old.metadata.uid;
  else if (uid !== old.metadata.uid) {
    throw invalid(expected.kind, expected.group, name, [immutable('metadata.uid', uid)]);
  }
}

// kube decodes the patched JSON into the resource's Go type; another kind or version is not
// registered for it, and the failure is reported against the field `patch`.
function undecodablePatch(patched: KubeObject): ApiError {
  const typeMeta = JSON.stringify({ apiVersion: patched.apiVersion, kind: patched.kind });
  const why = `no kind ${JSON.stringify(shown(patched.kind))} is registered for version ${JSON.stringify(shown(patched.apiVersion))}`;
  const message = `Invalid value: ${JSON.stringify(typeMeta)}: ${why}`;
  return new ApiError('Invalid', ` "" is invalid: patch: ${message}`, {
    causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }],
  });
}
