// Watch: a chunked stream of newline-delimited watch events (ADDED, MODIFIED, DELETED,
// BOOKMARK, ERROR), optionally as one-row Tables for `kubectl get -w`. A resourceVersion the
// store no longer holds ends the stream with a 410 Expired ERROR event, as kube-apiserver does,
// so informers relist.
import { ApiError } from '../../../api/errors.js';
import { groupVersion, storageName } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import type { StoreEvent, Watch } from '../../store/store.js';
import { watchEventJson } from '../http/object-json.js';
import { tableContentType, wantsTable } from '../http/respond.js';
import { needsLookups, type TableLookups, tableLookups } from '../tables/table-lookups.js';
import { toTable } from '../tables/to-table.js';
import { listOptionsFrom } from './list-options.js';
import type { RequestContext } from './request-context.js';

const bookmarkIntervalMs = 60_000;
/** kube-apiserver's --min-request-timeout is 1800 s; watches last a random share above it. */
const defaultTimeoutSeconds = 1800;
/** A watcher this far behind is cut off rather than buffering without bound. */
const maxBufferedBytes = 16 * 1024 * 1024;

export function watchObjects(ctx: RequestContext): void {
  const { request, resource, res, req } = ctx;
  const info = resource.info;
  const options = listOptionsFrom(ctx.query, resource.definition, true);
  const asTable = wantsTable(req.headers.accept);
  const fieldSelector =
    request.name !== undefined
      ? [`metadata.name=${request.name}`, options.fieldSelector].filter(Boolean).join(',')
      : options.fieldSelector;

  let sentColumns = false;
  const encode = (type: string, object: KubeObject, lookups: TableLookups = {}): string => {
    if (!asTable || type === 'BOOKMARK' || type === 'ERROR')
      return watchEventJson(type, resource.asServed(object));
    const table = toTable(resource.definition, [object], {
      now: ctx.clock.now(),
      includeObject: 'Metadata',
      lookups,
    });
    if (sentColumns) (table as { columnDefinitions?: unknown }).columnDefinitions = [];
    sentColumns = true;
    return `${JSON.stringify({ type, object: table })}\n`;
  };

  let watch: Watch | undefined;
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    watch?.stop();
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  };
  const send = (chunk: string) => {
    if (closed) return;
    res.write(chunk);
    if (res.writableLength > maxBufferedBytes) {
      closed = true;
      watch?.stop();
      for (const t of timers) clearTimeout(t);
      res.destroy();
    }
  };

  res.writeHead(200, {
    'Content-Type': asTable ? tableContentType : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  // A HEAD has no body to stream: an open response would hold its keep-alive connection (and
  // every request queued behind it on that connection) until the watch timed out.
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // Clients wait for the headers before they count the watch as open (kube sends them at once).
  res.flushHeaders();
  res.on('close', finish);

  // Rows that read other objects (a node's Lease) are printed one after the other, so events
  // and bookmarks still go out in the order the store produced them.
  let printing = Promise.resolve();
  const emit = (type: string, object: KubeObject) => {
    if (!asTable || !needsLookups(info.kind)) {
      send(encode(type, object));
      return;
    }
    printing = printing.then(async () => {
      const lookups =
        type === 'BOOKMARK'
          ? {}
          : await tableLookups(info.kind, [object], ctx.registry, ctx.heartbeats).catch(() => ({}));
      send(encode(type, object, lookups));
    });
  };

  const bookmark = (extra: Record<string, string> = {}) =>
    emit('BOOKMARK', {
      apiVersion: groupVersion(info),
      kind: info.kind,
      metadata: {
        resourceVersion: ctx.store.currentResourceVersion(),
        ...(Object.keys(extra).length ? { annotations: extra } : {}),
      },
    });

  try {
    watch = ctx.store.watch(
      storageName(info),
      {
        namespace: info.namespaced ? request.namespace : undefined,
        labelSelector: options.labelSelector,
        fieldSelector,
        resourceVersion: options.sendInitialEvents ? '0' : options.resourceVersion,
      },
      (event: StoreEvent) => emit(event.type, event.object),
    );
  } catch (err) {
    if (err instanceof ApiError) {
      send(encode('ERROR', err.toStatus() as unknown as KubeObject));
      finish();
      return;
    }
    throw err;
  }
  if (options.sendInitialEvents && options.allowWatchBookmarks)
    bookmark({ 'k8s.io/initial-events-end': 'true' });

  const timeoutSeconds = options.timeoutSeconds ?? defaultTimeoutSeconds * (1 + Math.random());
  timers.push(setTimeout(finish, timeoutSeconds * 1000));
  if (options.allowWatchBookmarks) {
    const tick = () => {
      bookmark();
      timers.push(setTimeout(tick, bookmarkIntervalMs).unref());
    };
    timers.push(setTimeout(tick, bookmarkIntervalMs).unref());
  }
}
