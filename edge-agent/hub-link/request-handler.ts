import type { Logger } from '../../api/logger.js';
// Requests from the hub (logs, exec, attach, port-forward, metrics), answered on the request's
// reply topic with numbered chunks and an end marker (api/mqtt/payloads/requests.ts). Logs are
// read through the pod manager, followed (`-f`) by log-follower.ts until the hub cancels; exec
// and attach run through the container runtime (exec-handler.ts), port-forward too
// (port-forward-handler.ts); metrics answer usage as metrics.k8s.io JSON.
import type {
  AttachRequest,
  ExecRequest,
  LogsRequest,
  MetricsRequest,
  PortForwardRequest,
  StreamChunk,
} from '../../api/mqtt/payloads/requests.js';
import { buildTopic, routes } from '../../api/mqtt/route-table.js';
import { formatEntries } from '../pods/pod-logs.js';
import type { PodManagerApi } from '../pods/pod-manager-contract.js';
import type { UsageMetrics } from '../pods/usage-metrics.js';
import type { ActiveRequests } from './active-requests.js';
import type { ChunkFields } from './chunk-emitter.js';
import { answerAttach, answerExec, type EndFields, type ExecDeps } from './exec-handler.js';
import { defaultFollowTiming, type FollowTiming, followLog, logFormatOf } from './log-follower.js';
import { answerPortForward } from './port-forward-handler.js';

/** Characters per chunk: even if every one needed a 6-byte JSON escape, a chunk fits 64 KiB. */
export const chunkChars = 8 * 1024;

export interface RequestDeps {
  nodeName: string;
  logs: Pick<PodManagerApi, 'readLogs' | 'readLogsFrom'>;
  reply(topic: string, chunk: StreamChunk): Promise<void>;
  log: Logger;
  /** Requests being answered, for cancel requests; each request is in it until it ends. */
  active: ActiveRequests;
  now?: () => number;
  follow?: FollowTiming;
  /** Without it exec requests are answered with an error (agents built without a runtime). */
  exec?: ExecDeps | undefined;
  metrics?: Pick<UsageMetrics, 'nodeMetrics' | 'podMetrics'> | undefined;
}

export type HubRequest =
  | { route: 'logsRequest'; request: LogsRequest }
  | { route: 'execRequest'; request: ExecRequest }
  | { route: 'attachRequest'; request: AttachRequest }
  | { route: 'portForwardRequest'; request: PortForwardRequest }
  | { route: 'metricsRequest'; request: MetricsRequest };

const streamVerbs = { execRequest: 'exec', attachRequest: 'attach', portForwardRequest: 'port-forward' };

/** Splits text into chunks of at most `size` characters, never inside a surrogate pair. */
export function chunkText(text: string, size = chunkChars): string[] {
  const chunks: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

/** At most `limit` bytes of UTF-8 from the start of `text`. */
function limitBytes(text: string, limit: number | undefined): string {
  if (limit === undefined) return text;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.byteLength <= limit ? text : bytes.subarray(0, limit).toString('utf8');
}

/** Streams the log until the container exits, limitBytes is spent or the request is cancelled. */
async function followLogs(
  deps: RequestDeps,
  request: LogsRequest,
  send: (data: string) => Promise<void>,
): Promise<void> {
  const now = deps.now ?? Date.now;
  const format = logFormatOf(request, now());
  const { tailLines: _tail, ...later } = format;
  const signal = deps.active.begin(request.id);
  try {
    let budget = request.limitBytes ?? Number.POSITIVE_INFINITY;
    await followLog({
      readFrom: (offset) => deps.logs.readLogsFrom(request.namespace, request.pod, request.container, offset),
      // limitBytes ends the stream once spent, as with the kubelet; aborting stops the loop.
      send: async (text) => {
        const data = limitBytes(text, budget);
        budget -= Buffer.byteLength(data);
        for (const piece of data === '' ? [''] : chunkText(data)) await send(piece);
        if (budget <= 0) deps.active.cancel(request.id);
      },
      // tailLines picks from the log so far; what comes later is shown whole.
      format: (entries, first) => formatEntries(entries, first ? format : later),
      timing: deps.follow ?? defaultFollowTiming,
      now,
      signal,
    });
  } finally {
    deps.active.finish(request.id, signal);
  }
}

export async function handleRequest(deps: RequestDeps, { route, request }: HubRequest): Promise<void> {
  const own = buildTopic(routes.reply, { node: deps.nodeName, id: request.id });
  if (request.replyTo !== own) {
    // The broker lets this node publish on its own reply topics only; anything else is a bug.
    deps.log.warn(`request ${request.id} asks for replies on ${request.replyTo}; ignored`);
    return;
  }
  const end = (seq: number, error?: string) =>
    deps.reply(own, error ? { id: request.id, seq, end: true, error } : { id: request.id, seq, end: true });
  if (request.deadline !== undefined && request.deadline < (deps.now ?? Date.now)()) {
    return end(0, 'deadline exceeded before the agent received the request');
  }
  let seq = 0;
  if (route === 'execRequest' || route === 'attachRequest' || route === 'portForwardRequest') {
    const exec = deps.exec;
    if (!exec) return end(0, `${streamVerbs[route]} is not supported by this agent`);
    const signal = deps.active.begin(request.id);
    const send = (fields: ChunkFields) => deps.reply(own, { id: request.id, seq: seq++, ...fields });
    try {
      let last: EndFields;
      if (route === 'execRequest') last = await answerExec(exec, request as ExecRequest, signal, send);
      else if (route === 'attachRequest')
        last = await answerAttach(exec, request as AttachRequest, signal, send);
      else last = await answerPortForward(exec, request as PortForwardRequest, signal, send);
      return await deps.reply(own, { id: request.id, seq: seq++, end: true, ...last });
    } finally {
      deps.active.finish(request.id, signal);
    }
  }
  if (route === 'metricsRequest') return answerMetrics(deps, request, own);
  const send = (data: string) => deps.reply(own, { id: request.id, seq: seq++, stream: 'stdout', data });
  if (request.follow && !request.previous) {
    try {
      // Cancelled or drained, the stream ends with its end chunk (route table: cancelRequest).
      await followLogs(deps, request, send);
    } catch (err) {
      return end(seq, (err as Error).message);
    }
    return end(seq);
  }
  let text: string;
  try {
    text = await deps.logs.readLogs(request.namespace, request.pod, request.container, {
      ...(request.tailLines !== undefined ? { tailLines: request.tailLines } : {}),
      ...(request.previous !== undefined ? { previous: request.previous } : {}),
      ...(request.sinceSeconds !== undefined ? { sinceSeconds: request.sinceSeconds } : {}),
      ...(request.timestamps ? { timestamps: true } : {}),
    });
  } catch (err) {
    return end(0, (err as Error).message);
  }
  for (const data of chunkText(limitBytes(text, request.limitBytes))) await send(data);
  await end(seq);
}

/** Usage as one JSON document (metrics.k8s.io list), split over as many chunks as it needs. */
async function answerMetrics(deps: RequestDeps, request: MetricsRequest, own: string): Promise<void> {
  if (!deps.metrics)
    return deps.reply(own, {
      id: request.id,
      seq: 0,
      end: true,
      error: 'metrics are not supported by this agent',
    });
  let text: string;
  try {
    const list =
      request.scope === 'node' ? await deps.metrics.nodeMetrics() : await deps.metrics.podMetrics();
    text = JSON.stringify(list);
  } catch (err) {
    return deps.reply(own, { id: request.id, seq: 0, end: true, error: (err as Error).message });
  }
  let seq = 0;
  for (const data of chunkText(text))
    await deps.reply(own, { id: request.id, seq: seq++, stream: 'data', data });
  await deps.reply(own, { id: request.id, seq, end: true });
}
