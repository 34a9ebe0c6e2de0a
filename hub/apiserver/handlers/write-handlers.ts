// POST, PUT, PATCH, DELETE and DELETE-collection on a resource or its status, finalize or
// ephemeralcontainers subresource (which take and give the whole object).
import {
  ApiError,
  badRequest,
  forbidden,
  invalid,
  invalidValue,
  required,
  unsupportedMediaType,
} from '../../../api/errors.js';
import { groupVersion } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { duplicateJsonFields } from '../http/duplicate-fields.js';
import { boolParam } from '../http/query-params.js';
import { parseBody, readBody, readsAsJson } from '../http/read-body.js';
import { sendJson } from '../http/respond.js';
import { warningHeaders } from '../http/warning-headers.js';
import { applyPatch, patchTypeFromContentType } from '../patch/apply-patch.js';
import { deleteOptionsFrom, isDryRun } from '../registry/delete-options.js';
import { type FieldChecks, fieldValidationFrom } from '../registry/field-validation.js';
import type { UpdateRequest } from '../registry/resource-store.js';
import { listOptionsFrom } from './list-options.js';
import type { RequestContext } from './request-context.js';

async function bodyOf(ctx: RequestContext): Promise<unknown> {
  return parseBody(await readBody(ctx.req), ctx.req.headers['content-type']);
}

/**
 * The body, read as `contentType`, with the request's field checks (fieldValidation of the
 * options kind, and the keys a JSON body names twice unless they are to be ignored).
 */
async function checkedBody(
  ctx: RequestContext,
  options: Parameters<typeof fieldValidationFrom>[1],
  contentType: string | undefined,
): Promise<{ body: unknown; checks: FieldChecks }> {
  const checks: FieldChecks = { fieldValidation: fieldValidationFrom(ctx.query, options), warnings: [] };
  const raw = await readBody(ctx.req);
  const body = parseBody(raw, contentType);
  if (checks.fieldValidation !== 'Ignore' && readsAsJson(contentType)) {
    checks.duplicateFields = duplicateJsonFields(raw.toString('utf8'));
  }
  return { body, checks };
}

/** kube-apiserver's `Warning` headers (code 299, agent "-"), which kubectl prints as `Warning: …`. */
function sendWarnings(ctx: RequestContext, checks: FieldChecks): void {
  const headers = warningHeaders(checks.warnings ?? []);
  if (headers.length > 0) ctx.res.setHeader('Warning', headers);
}

function dryRunOf(ctx: RequestContext): boolean {
  return isDryRun(ctx.query.getAll('dryRun'));
}

function objectSubresource(ctx: RequestContext): UpdateRequest['subresource'] {
  const sub = ctx.request.subresource;
  if (sub === undefined) return undefined;
  if (sub === 'status' || (sub === 'finalize' && ctx.resource.info.kind === 'Namespace')) return sub;
  if (sub === 'ephemeralcontainers' && ctx.resource.info.kind === 'Pod') return sub;
  throw badRequest(`${ctx.request.verb} is not supported on ${ctx.resource.info.resource}/${sub}`);
}

export async function createObject(ctx: RequestContext): Promise<void> {
  const { body, checks } = await checkedBody(ctx, 'CreateOptions', ctx.req.headers['content-type']);
  const created = await ctx.resource.create(ctx.request.namespace, body, {
    dryRun: dryRunOf(ctx),
    admit: ctx.admit,
    fieldManager: fieldManagerOf(ctx, 'CreateOptions'),
    ...checks,
  });
  sendWarnings(ctx, checks);
  sendJson(ctx.res, 201, ctx.resource.asServed(created));
}

export async function updateObject(ctx: RequestContext): Promise<void> {
  const { body, checks } = await checkedBody(ctx, 'UpdateOptions', ctx.req.headers['content-type']);
  const subresource = objectSubresource(ctx);
  const updated = await ctx.resource.update(ctx.request.namespace, ctx.request.name!, body, {
    dryRun: dryRunOf(ctx),
    admit: ctx.admit,
    subresource,
    fieldManager: fieldManagerOf(ctx, 'UpdateOptions'),
    ...checks,
  });
  sendWarnings(ctx, checks);
  sendJson(ctx.res, 200, ctx.resource.asServed(updated));
}

export async function patchObject(ctx: RequestContext): Promise<void> {
  const contentType = ctx.req.headers['content-type'] ?? '';
  const type = patchTypeFromContentType(contentType);
  if (!type) throw unsupportedMediaType(contentType);
  // Custom resources have no Go struct tags to merge by: kube-apiserver refuses the strategic flavour.
  if (type === 'strategic' && ctx.resource.definition.custom) {
    throw new ApiError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
    );
  }
  if (type === 'apply') return applyObject(ctx);
  if (ctx.query.has('force')) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [
      forbidden('force', 'may not be specified for non-apply patch'),
    ]);
  }
  const { body: patch, checks } = await checkedBody(ctx, 'PatchOptions', 'application/json');
  if (patch === undefined) throw badRequest('the body of a PATCH request must not be empty');
  const kind = ctx.resource.info.kind;
  const patched = await ctx.resource.modify(
    ctx.request.namespace,
    ctx.request.name!,
    (current) => applyPatch(type, current, patch, kind),
    {
      dryRun: dryRunOf(ctx),
      admit: ctx.admit,
      subresource: objectSubresource(ctx),
      fieldManager: fieldManagerOf(ctx, 'PatchOptions'),
      ...checks,
    },
  );
  sendWarnings(ctx, checks);
  sendJson(ctx.res, 200, ctx.resource.asServed(patched));
}

/** Server-side apply: `application/apply-patch+yaml`, with a fieldManager and maybe `force`. */
async function applyObject(ctx: RequestContext): Promise<void> {
  const fieldManager = ctx.query.get('fieldManager') ?? '';
  if (fieldManager === '') {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [
      required('fieldManager', 'Required value: is required for apply patch'),
    ]);
  }
  checkFieldManager(fieldManager, 'PatchOptions');
  const force = boolParam(ctx.query, 'force') ?? false;
  const { body, checks } = await checkedBody(ctx, 'PatchOptions', 'application/apply-patch+yaml');
  if (body === undefined) throw badRequest('the body of a PATCH request must not be empty');
  if (ctx.request.subresource !== undefined) {
    throw badRequest(`apply is not supported on ${ctx.resource.info.resource}/${ctx.request.subresource}`);
  }
  const { object, created } = await ctx.resource.apply(ctx.request.namespace, ctx.request.name!, body, {
    dryRun: dryRunOf(ctx),
    admit: ctx.admit,
    fieldManager,
    force,
    ...checks,
  });
  sendWarnings(ctx, checks);
  sendJson(ctx.res, created ? 201 : 200, ctx.resource.asServed(object));
}

/**
 * The manager a write is recorded under: the request's fieldManager, else the client's name
 * from its User-Agent (`kubectl/v1.32.0 …` → kubectl), as kube-apiserver defaults it.
 */
function fieldManagerOf(
  ctx: RequestContext,
  options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
): string {
  const given = ctx.query.get('fieldManager');
  if (given !== null && given !== '') {
    checkFieldManager(given, options);
    return given;
  }
  const agent =
    String(ctx.req.headers['user-agent'] ?? '')
      .split('/')[0]
      ?.trim() ?? '';
  return agent === '' ? 'unknown' : agent.slice(0, 128);
}

function checkFieldManager(
  manager: string,
  options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
): void {
  if (manager.length > 128 || !/^[\x20-\x7e]*$/.test(manager)) {
    throw invalid(options, 'meta.k8s.io', '', [
      invalidValue('fieldManager', manager, 'must be at most 128 printable ASCII characters'),
    ]);
  }
}

export async function deleteObject(ctx: RequestContext): Promise<void> {
  const options = deleteOptionsFrom(await bodyOf(ctx), ctx.query);
  const deleted = await ctx.resource.delete(ctx.request.namespace, ctx.request.name!, options);
  sendJson(ctx.res, 200, ctx.resource.asServed(deleted));
}

export async function deleteCollection(ctx: RequestContext): Promise<void> {
  const options = deleteOptionsFrom(await bodyOf(ctx), ctx.query);
  const list = listOptionsFrom(ctx.query, ctx.resource.definition);
  const { items } = await ctx.resource.list({
    namespace: ctx.request.namespace,
    labelSelector: list.labelSelector,
    fieldSelector: list.fieldSelector,
  });
  const deleted: KubeObject[] = [];
  for (const item of items) {
    try {
      deleted.push(await ctx.resource.delete(item.metadata.namespace, item.metadata.name!, options));
    } catch (err) {
      // Gone already (deleted by someone else between list and delete) is what we wanted.
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }
  sendJson(ctx.res, 200, {
    apiVersion: groupVersion(ctx.resource.info),
    kind: `${ctx.resource.info.kind}List`,
    metadata: {},
    items: deleted.map((o) => ctx.resource.asServed(o)),
  });
}
