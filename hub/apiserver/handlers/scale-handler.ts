// The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets,
// replicationcontrollers and custom resources
// whose CRD declares one: what `kubectl scale` and autoscalers read and write instead of the
// whole object.
import { badRequest, invalid, unsupportedMediaType } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { isRecord } from '../../../api/validation/field-readers.js';
import type { KindDefinition, ScalePaths } from '../../kinds/kind-definition.js';
import { parseBody, readBody } from '../http/read-body.js';
import { sendJson } from '../http/respond.js';
import { apiSchemaName } from '../openapi/schema-builders.js';
import { checkSchemaTypes } from '../openapi/schema-type-check.js';
import { applyPatch, type PatchType, patchTypeFromContentType } from '../patch/apply-patch.js';
import { isDryRun } from '../registry/delete-options.js';
import {
  checkBodyType,
  checkNameMatchesUrl,
  checkPatchedIdentity,
  checkUidPrecondition,
} from '../registry/object-identity.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { RequestContext } from './request-context.js';

const scaleSchema = apiSchemaName('autoscaling', 'v1', 'Scale');

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.LabelSelector → the string form Scale.status.selector carries. */
export function selectorString(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** The value at a simple JSON path such as `.spec.replicas`. */
function valueAt(obj: unknown, path: string): unknown {
  let at = obj;
  for (const key of path.split('.').slice(1)) at = isRecord(at) ? at[key] : undefined;
  return at;
}

/** Sets a simple JSON path, creating the objects on the way. */
function setAt(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.').slice(1);
  let at = obj;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(at[key])) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]!] = value;
}

/** A kind's replica counts: its CRD's scale paths, or spec.replicas and the selector object. */
function countsOf(
  obj: KubeObject,
  paths: ScalePaths | undefined,
  selectorOf?: (obj: KubeObject) => string,
): { spec: number; status: number; selector: string } {
  if (paths) {
    const number = (value: unknown) => (typeof value === 'number' ? value : 0);
    const selector = paths.labelSelectorPath ? valueAt(obj, paths.labelSelectorPath) : undefined;
    return {
      spec: number(valueAt(obj, paths.specReplicasPath)),
      status: number(valueAt(obj, paths.statusReplicasPath)),
      selector: typeof selector === 'string' ? selector : '',
    };
  }
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: LabelSelector };
  const status = (obj.status ?? {}) as { replicas?: number };
  const selector = selectorOf ? selectorOf(obj) : selectorString(spec.selector);
  return { spec: spec.replicas ?? 0, status: status.replicas ?? 0, selector };
}

function toScale(obj: KubeObject, kind: KindDefinition): KubeObject {
  const counts = countsOf(obj, kind.scale, kind.scaleSelector);
  const m = obj.metadata;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: counts.spec },
    status: { replicas: counts.status, selector: counts.selector },
  };
}

function replicasOf(scale: unknown, name: string): number {
  // The Scale body is typed by its own schema (replicas is an int32), like any other object.
  const typeErrors = checkSchemaTypes(scaleSchema, scale);
  if (typeErrors.length > 0) throw invalid('Scale', 'autoscaling', name, typeErrors);
  const replicas = (scale as { spec?: { replicas?: unknown } } | undefined)?.spec?.replicas;
  if (replicas === undefined) return 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', 'autoscaling', name, [
      {
        field: 'spec.replicas',
        type: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
  return replicas;
}

const scaleType = { apiVersion: 'autoscaling/v1', kind: 'Scale', group: 'autoscaling' };

/** A patch may change spec.replicas, not which object the Scale describes. */
function patchedScale(
  type: PatchType,
  current: KubeObject,
  patch: unknown,
  name: string,
  kind: KindDefinition,
): KubeObject {
  const original = toScale(current, kind);
  const scale = applyPatch(type, original, patch, 'Scale');
  checkPatchedIdentity(scale, original, scaleType, name);
  return scale;
}

/** A PUT body must be a Scale of this object (kind, name, uid), as kube's scale REST decodes it. */
function putScale(body: unknown, current: KubeObject, resource: ResourceStore): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('the body of the request must be a Scale object');
  }
  const scale = body as KubeObject;
  checkBodyType(scale, scaleType);
  if (scale.metadata?.name !== undefined) checkNameMatchesUrl(scale, current.metadata.name ?? '');
  if (scale.metadata) checkUidPrecondition(scale, current, resource.gr);
  return scale;
}

export async function serveScale(ctx: RequestContext): Promise<void> {
  const { request, resource } = ctx;
  const name = request.name!;
  if (request.verb === 'get') {
    sendJson(ctx.res, 200, toScale(await resource.get(request.namespace, name), resource.definition));
    return;
  }
  if (request.verb !== 'update' && request.verb !== 'patch') {
    throw badRequest(`${request.verb} is not supported on ${resource.info.resource}/scale`);
  }
  const raw = await readBody(ctx.req);
  const contentType = ctx.req.headers['content-type'] ?? '';
  const patchType = request.verb === 'patch' ? patchTypeFromContentType(contentType) : undefined;
  if (request.verb === 'patch' && !patchType) throw unsupportedMediaType(contentType);
  const body = parseBody(raw, request.verb === 'patch' ? 'application/json' : contentType);
  const updated = await resource.modify(
    request.namespace,
    name,
    (current) => {
      const scale = patchType
        ? patchedScale(patchType, current, body, name, resource.definition)
        : putScale(body, current, resource);
      const wanted = (scale as KubeObject | undefined)?.metadata?.resourceVersion;
      if (wanted) current.metadata.resourceVersion = wanted;
      const paths = resource.definition.scale;
      if (paths) setAt(current, paths.specReplicasPath, replicasOf(scale, name));
      else
        current.spec = { ...((current.spec as object | undefined) ?? {}), replicas: replicasOf(scale, name) };
      return current;
    },
    { dryRun: isDryRun(ctx.query.getAll('dryRun')) },
  );
  sendJson(ctx.res, 200, toScale(updated, resource.definition));
}
