// The PATCH verb: picks the patch flavour from the request's Content-Type, as kube-apiserver
// does (https://kubernetes.io/docs/reference/using-api/api-concepts/#patch-and-apply), and
// applies it to a copy of the stored object.
import { ApiError, invalid, required } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch, describeJson, isJsonObject } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const mediaTypes = new Map<string, PatchType>([
  ['application/json-patch+json', 'json'],
  ['application/merge-patch+json', 'merge'],
  ['application/strategic-merge-patch+json', 'strategic'],
  ['application/apply-patch+yaml', 'apply'],
]);

/** The patch flavour of a Content-Type header such as `application/merge-patch+json; charset=utf-8`. */
export function patchTypeFromContentType(contentType: string): PatchType | undefined {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaTypes.get(mediaType);
}

/**
 * Applies a decoded patch body to `original` and returns the patched object; `original` is never
 * modified. `kind` selects the strategic-merge table. Malformed patches are 400 BadRequest,
 * patches that cannot apply to this object are 422 Invalid.
 */
export function applyPatch(
  type: PatchType,
  original: KubeObject,
  patchBody: unknown,
  kind: string,
): KubeObject {
  switch (type) {
    case 'json':
      return requireObject(applyJsonPatch(original, patchBody), original, kind);
    case 'merge':
      return requireObject(applyMergePatch(original, patchBody), original, kind);
    case 'strategic':
      return requireObject(applyStrategicMergePatch(original, patchBody, kind), original, kind);
    case 'apply':
      // Server-side apply needs managedFields bookkeeping Flotilla does not keep; kubectl's
      // default (client-side) apply sends a strategic merge patch instead.
      throw new ApiError(
        'UnsupportedMediaType',
        'server-side apply (application/apply-patch+yaml) is not supported; use client-side apply (kubectl apply without --server-side)',
      );
  }
}

/** A patch may remove or replace anything; what comes out must still be an object with metadata. */
function requireObject(patched: unknown, original: KubeObject, kind: string): KubeObject {
  const name = original.metadata.name ?? '';
  const group = original.apiVersion?.includes('/') ? (original.apiVersion.split('/')[0] ?? '') : '';
  if (!isJsonObject(patched)) {
    throw new ApiError(
      'Invalid',
      `the patched ${kind} "${name}" must be a JSON object, got ${describeJson(patched)}`,
    );
  }
  if (!isJsonObject(patched.metadata)) {
    throw invalid(kind, group, name, [
      required('metadata', 'Required value: a patch cannot remove metadata'),
    ]);
  }
  return patched as KubeObject;
}
