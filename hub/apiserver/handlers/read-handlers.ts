// GET of one object and LIST of a collection, as JSON or as a server-side Table.
import { groupVersion } from '../../../api/resources.js';
import { listJson } from '../http/object-json.js';
import { sendJson, tableContentType, wantsTable } from '../http/respond.js';
import { tableJson } from '../tables/table-json.js';
import { tableLookups } from '../tables/table-lookups.js';
import { toTable } from '../tables/to-table.js';
import { listOptionsFrom } from './list-options.js';
import type { RequestContext } from './request-context.js';

type IncludeObject = 'None' | 'Metadata' | 'Object';

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export async function getObject(ctx: RequestContext): Promise<void> {
  const { request, resource, res } = ctx;
  const obj = resource.asServed(await resource.get(request.namespace, request.name!));
  if (wantsTable(ctx.req.headers.accept)) {
    const table = toTable(resource.definition, [obj], {
      now: ctx.clock.now(),
      includeObject: includeObjectOf(ctx.query),
      listMeta: { resourceVersion: obj.metadata.resourceVersion },
      lookups: await tableLookups(resource.info.kind, [obj], ctx.registry, ctx.heartbeats),
    });
    sendJson(res, 200, tableJson(table), tableContentType);
    return;
  }
  sendJson(res, 200, obj);
}

export async function listObjects(ctx: RequestContext): Promise<void> {
  const { request, resource, res } = ctx;
  const options = listOptionsFrom(ctx.query, resource.definition);
  const result = await resource.list({
    namespace: request.namespace,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    limit: options.limit,
    continue: options.continue,
  });
  const listMeta = {
    resourceVersion: result.resourceVersion,
    ...(result.continue ? { continue: result.continue } : {}),
    ...(result.remainingItemCount !== undefined ? { remainingItemCount: result.remainingItemCount } : {}),
  };
  if (wantsTable(ctx.req.headers.accept)) {
    const table = toTable(resource.definition, result.items, {
      now: ctx.clock.now(),
      includeObject: includeObjectOf(ctx.query),
      listMeta,
      lookups: await tableLookups(resource.info.kind, result.items, ctx.registry, ctx.heartbeats),
    });
    sendJson(res, 200, tableJson(table), tableContentType);
    return;
  }
  const head = {
    apiVersion: groupVersion(resource.info),
    kind: `${resource.info.kind}List`,
    metadata: listMeta,
  };
  const items = resource.definition.custom ? result.items.map((o) => resource.asServed(o)) : result.items;
  sendJson(res, 200, listJson(head, items));
}
