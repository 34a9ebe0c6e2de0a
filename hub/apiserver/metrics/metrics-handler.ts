// GET and LIST of metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics, as metrics-server answers
// them: the Nodes (or Pods) the request selects — namespace, label selector on their own labels,
// field selector on metadata.name/namespace — each with its gateway's latest reading, those
// without a reading left out (a get of one is a 404 in metrics-server's words). A pod's usage is
// taken only from the gateway the hub bound it to, so no gateway can report another's pods.
import { ApiError, notFound } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { listOptionsFrom, type ParsedListOptions } from '../handlers/list-options.js';
import type { RequestContext } from '../handlers/request-context.js';
import { sendJson, tableContentType, wantsTable } from '../http/respond.js';
import { tableJson } from '../tables/table-json.js';
import { toTable } from '../tables/to-table.js';
import type { UsageView } from './gateway-usage.js';
import { metricsGroupVersion, nodeMetricsObject, podMetricsObject } from './usage-documents.js';

const nodes = { group: '', resource: 'nodes' };
const pods = { group: '', resource: 'pods' };

export async function serveUsage(ctx: RequestContext): Promise<void> {
  const { request, resource } = ctx;
  const usage = ctx.usage;
  if (!usage) {
    throw new ApiError(
      'ServiceUnavailable',
      'metrics.k8s.io needs the MQTT side of the hub, which is not running',
    );
  }
  const options = listOptionsFrom(ctx.query, resource.definition);
  const now = ctx.clock.now();
  const items =
    resource.definition.usage === 'node'
      ? await nodeMetrics(ctx, usage, options, now)
      : await podMetrics(ctx, usage, options, now);
  const asTable = wantsTable(ctx.req.headers.accept);
  if (request.verb === 'get') {
    const item = items[0];
    if (!item) {
      const name = request.namespace ? `${request.namespace}/${request.name}` : (request.name ?? '');
      throw notFound(
        {
          group: 'metrics.k8s.io',
          resource: resource.definition.usage === 'node' ? 'nodemetrics' : 'podmetrics',
        },
        name,
      );
    }
    if (!asTable) return sendJson(ctx.res, 200, item);
  }
  if (asTable) {
    const table = toTable(resource.definition, items, { now, includeObject: includeObjectOf(ctx.query) });
    return sendJson(ctx.res, 200, tableJson(table), tableContentType);
  }
  sendJson(ctx.res, 200, {
    kind: `${resource.info.kind}List`,
    apiVersion: metricsGroupVersion,
    metadata: {},
    items,
  });
}

function includeObjectOf(query: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** The objects a get (one, if it exists) or a list selects. */
async function selected(
  ctx: RequestContext,
  gr: { group: string; resource: string },
  namespace: string | undefined,
  options: ParsedListOptions,
): Promise<KubeObject[]> {
  const store = ctx.registry.for(gr);
  if (ctx.request.verb === 'get') {
    try {
      return [await store.get(namespace, ctx.request.name ?? '')];
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return [];
      throw err;
    }
  }
  const result = await store.list({
    namespace,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
  });
  return result.items;
}

async function nodeMetrics(
  ctx: RequestContext,
  usage: UsageView,
  options: ParsedListOptions,
  now: Date,
): Promise<KubeObject[]> {
  const objects = await selected(ctx, nodes, undefined, options);
  const readings = await usage.nodes(objects.map((n) => n.metadata.name ?? ''));
  return objects.flatMap((node) => {
    const name = node.metadata.name ?? '';
    const reading = readings.get(name);
    return reading ? [nodeMetricsObject(name, node.metadata.labels, reading, now) as KubeObject] : [];
  });
}

async function podMetrics(
  ctx: RequestContext,
  usage: UsageView,
  options: ParsedListOptions,
  now: Date,
): Promise<KubeObject[]> {
  const objects = await selected(ctx, pods, ctx.request.namespace, options);
  const nodeOf = (pod: KubeObject) => (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
  const bound = objects.filter((pod) => typeof nodeOf(pod) === 'string' && nodeOf(pod) !== '');
  const readings = await usage.pods(bound.map((pod) => nodeOf(pod) as string));
  return bound.flatMap((pod) => {
    const { name = '', namespace = '' } = pod.metadata;
    const reading = readings.get(nodeOf(pod) as string)?.get(`${namespace}/${name}`);
    return reading
      ? [podMetricsObject(namespace, name, pod.metadata.labels, reading, now) as KubeObject]
      : [];
  });
}
