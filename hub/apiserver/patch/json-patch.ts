// JSON patch (RFC 6902), the `application/json-patch+json` flavour of `kubectl patch --type=json`.
// Like kube-apiserver (k8s.io/apiserver handlers/patch.go), a body that does not decode as a
// patch is 400 BadRequest, and a well-formed patch that cannot be applied to the stored object
// (missing path, failed `test`) is 422 Invalid.
//
// Bounded as kube bounds it: at most 10,000 operations (413), and `copy` operations may grow the
// document by at most 3 MiB in all (JSONPatchMaxCopyBytes, 422). Without the second bound a 2 KB
// patch that copies a value into itself 26 times builds gigabytes.
import jsonPatchLib, { type JsonPatchError, type Operation } from 'fast-json-patch';
import { ApiError, badRequest, entityTooLarge } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { describeJson, isJsonObject } from './merge-patch.js';

// RFC 6902 section 4. fast-json-patch also knows an internal `_get`, which a client must not use.
const operations = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** maxJSONPatchOperations in kube's handlers/patch.go. */
export const maxJsonPatchOperations = 10_000;
/** kube-apiserver's JSONPatchMaxCopyBytes default: twice etcd's 1.5 MB request limit. */
export const maxJsonPatchCopyBytes = 3 * 1024 * 1024;

/** Applies an RFC 6902 patch to `original`, returning a new document (which may not be an object). */
export function applyJsonPatch(original: KubeObject, patch: unknown): unknown {
  const ops = decodeOperations(patch);
  // The library inserts `value`s by reference and mutates the document: work on copies.
  let document: unknown = structuredClone(original);
  let copied = 0;
  for (const [index, op] of structuredClone(ops).entries()) {
    if (op.op === 'copy') copied += copyGrowth(document, op.from, copied);
    if (op.op === 'move' && op.path.startsWith(`${op.from}/`)) {
      // RFC 6902 section 4.4; fast-json-patch would make the document contain itself.
      throw notApplicable(
        index,
        op,
        new Error(
          `"from" ${op.from || '(the root)'} is a proper prefix of "path": a location cannot be moved into one of its children`,
        ),
      );
    }
    try {
      document = jsonPatchLib.applyOperation(document, op, true, true, true, index).newDocument;
    } catch (err) {
      throw notApplicable(index, op, err);
    }
  }
  return document;
}

/**
 * The bytes a `copy` adds, checked against what earlier copies added before the copy is made
 * (evanphx/json-patch's AccumulatedCopySizeLimit, which kube arms). A missing `from` counts 0:
 * applying the operation reports it.
 */
function copyGrowth(document: unknown, from: string, copiedSoFar: number): number {
  let value: unknown;
  try {
    value = jsonPatchLib.getValueByPointer(document, from);
  } catch {
    return 0;
  }
  const size = value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
  if (copiedSoFar + size > maxJsonPatchCopyBytes) {
    throw new ApiError(
      'Invalid',
      `Unable to complete the copy, the accumulated size increase of copy is ${copiedSoFar + size}, exceeding the limit ${maxJsonPatchCopyBytes}`,
    );
  }
  return size;
}

function decodeOperations(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw badRequest(`json patch body must be an array of operations, got ${describeJson(patch)}`);
  }
  if (patch.length > maxJsonPatchOperations) {
    throw entityTooLarge(
      `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${patch.length}`,
    );
  }
  patch.forEach((op, index) => {
    if (!isJsonObject(op)) throw malformed(index, `must be an object, got ${describeJson(op)}`);
    if (typeof op.op !== 'string' || !operations.has(op.op)) {
      throw malformed(
        index,
        `unknown op ${JSON.stringify(op.op)}: must be one of ${[...operations].join(', ')}`,
      );
    }
  });
  const error = jsonPatchLib.validate(patch as Operation[]);
  if (error) throw malformed(error.index ?? 0, structuralProblem(error));
  return patch as Operation[];
}

function structuralProblem(error: JsonPatchError): string {
  switch (error.name) {
    case 'OPERATION_PATH_INVALID':
      return 'path must be a JSON pointer: a string that is empty or starts with "/"';
    case 'OPERATION_FROM_REQUIRED':
      return `"from" is required for ${String(error.operation?.op)}`;
    case 'OPERATION_VALUE_REQUIRED':
    case 'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED':
      return `"value" is required for ${String(error.operation?.op)}`;
    default:
      return error.message;
  }
}

function malformed(index: number, problem: string): ApiError {
  return badRequest(`json patch operation ${index} ${problem}`);
}

function notApplicable(index: number, op: Operation, err: unknown): ApiError {
  const at = `json patch operation ${index} (${op.op} ${op.path})`;
  const message = `${at} ${applicationProblem(op, err)}`;
  return new ApiError('Invalid', message, {
    causes: [{ reason: 'FieldValueInvalid', message, field: op.path }],
  });
}

function applicationProblem(op: Operation, err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  switch (name) {
    case 'TEST_OPERATION_FAILED':
      return 'failed: the value at the path does not equal the expected value';
    case 'OPERATION_PATH_UNRESOLVABLE':
      return 'cannot be applied: the path does not exist';
    case 'OPERATION_PATH_CANNOT_ADD':
      return 'cannot be applied: the parent of the path does not exist';
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `cannot be applied: "from" path ${'from' in op ? op.from : ''} does not exist`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
      return 'cannot be applied: an array index in the path is not an unsigned integer or "-"';
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return 'cannot be applied: the array index is past the end of the array';
    default:
      return `cannot be applied: ${err instanceof Error ? err.message : String(err)}`;
  }
}
