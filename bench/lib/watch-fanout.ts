// Watch fan-out: N watch streams on one namespace, then K pod creates; measures events
// delivered per second across all streams and the latency from each create's start to each
// watcher receiving its ADDED event. Creates are timed from their start, not their ack: the
// hub announces a change before it answers the write, so a watcher may see it first.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LatencyHistogram, type LatencySummary } from './histogram.js';
import { type Endpoint, send, sendJson } from './http-client.js';
import { aPod, namespacePath, podName } from './pod-fixtures.js';

export interface FanoutOptions {
  namespace: string;
  watchers: number;
  /** Creates sent after every stream is up and not measured, to warm both sides. */
  warmupEvents: number;
  events: number;
  writeConcurrency: number;
  timeoutMs: number;
}

export interface FanoutResult {
  delivered: number;
  expected: number;
  elapsedMs: number;
  eventsPerSecond: number;
  /** Create start to a watcher receiving the event. */
  delivery: LatencySummary;
  /** Create start to its 201. */
  write: LatencySummary;
}

type Phase = 'probe' | 'warmup' | 'measured';

/** `watchEndpoint` needs room for every stream: maxSockets >= watchers. */
export async function runFanout(
  endpoint: Endpoint,
  watchEndpoint: Endpoint,
  options: FanoutOptions,
): Promise<FanoutResult> {
  const path = namespacePath(options.namespace);
  const list = await sendJson<{ metadata: { resourceVersion: string } }>(
    endpoint,
    { method: 'GET', path: `${path}?limit=1` },
    200,
  );
  const sent = new Map<string, { phase: Phase; start: bigint }>();
  const seenBy = new Array<number>(options.watchers).fill(0);
  const delivered: Record<Phase, number> = { probe: 0, warmup: 0, measured: 0 };
  const delivery = new LatencyHistogram();
  let lastReceipt = 0n;
  let check: (() => void) | undefined;
  const onAdded = (watcher: number, name: string, at: bigint) => {
    const pod = sent.get(name);
    if (!pod) return;
    seenBy[watcher]!++;
    delivered[pod.phase]++;
    if (pod.phase === 'measured') {
      delivery.recordSince(pod.start, at);
      lastReceipt = at;
    }
    check?.();
  };
  /** Resolves once `done()` holds, re-checked on every event; rejects after `ms`. */
  const until = (done: () => boolean, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        check = undefined;
        reject(new Error(`watch fan-out: no progress within ${ms} ms (${JSON.stringify(delivered)})`));
      }, ms);
      check = () => {
        if (!done()) return;
        clearTimeout(timer);
        check = undefined;
        resolve();
      };
      check();
    });

  let seq = 0;
  const create = async (phase: Phase, write?: LatencyHistogram) => {
    const name = podName(`fanout-${phase}`, seq++);
    const start = process.hrtime.bigint();
    sent.set(name, { phase, start });
    const reply = await send(endpoint, { method: 'POST', path, body: JSON.stringify(aPod(name)) });
    if (reply.status !== 201) throw new Error(`create ${name}: status ${reply.status}`);
    write?.recordSince(start);
  };

  const streams = Array.from({ length: options.watchers }, (_, i) =>
    openWatch(
      watchEndpoint,
      `${path}?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
      (name, at) => onAdded(i, name, at),
    ),
  );
  try {
    // Servers need not flush a watch's headers before its first event, so the only proof a
    // stream is registered is an event on it. The hub replays from the resourceVersion; the bare
    // server cannot, so probes repeat until every stream has seen one.
    const deadline = performance.now() + options.timeoutMs;
    while (seenBy.some((n) => n === 0)) {
      if (performance.now() > deadline)
        throw new Error(`watch fan-out: streams not up: ${JSON.stringify(seenBy)}`);
      await create('probe');
      await until(() => seenBy.every((n) => n > 0), 250).catch(() => undefined);
    }
    await createMany(() => create('warmup'), options.warmupEvents, options.writeConcurrency);
    await until(() => delivered.warmup >= options.watchers * options.warmupEvents, options.timeoutMs);

    const expected = options.watchers * options.events;
    const write = new LatencyHistogram();
    const start = process.hrtime.bigint();
    await createMany(() => create('measured', write), options.events, options.writeConcurrency);
    const complete = await until(() => delivered.measured >= expected, options.timeoutMs).then(
      () => true,
      () => false,
    );
    const elapsedMs = Number((complete ? lastReceipt : process.hrtime.bigint()) - start) / 1e6;
    return {
      delivered: delivered.measured,
      expected,
      elapsedMs,
      eventsPerSecond: delivered.measured / (elapsedMs / 1000),
      delivery: delivery.summarize(),
      write: write.summarize(),
    };
  } finally {
    for (const stream of streams) stream.destroy();
  }
}

async function createMany(create: () => Promise<void>, count: number, concurrency: number): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await create();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

// The pod's name is matched in the raw line: parsing 100 copies of every object would take CPU
// from the server on a 2-core machine. Lazy matching skips other "name" fields (containers).
const addedName = /^\{"type":"ADDED".*?"name":"(fanout-[a-z]+-\d+)"/;

function openWatch(
  endpoint: Endpoint,
  path: string,
  onAdded: (name: string, at: bigint) => void,
): ClientRequest {
  const request = endpoint.baseUrl.protocol === 'https:' ? httpsRequest : httpRequest;
  const url = new URL(path, endpoint.baseUrl);
  const req = request(url, { agent: endpoint.agent, headers: endpoint.headers }, (res: IncomingMessage) => {
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (text: string) => {
      const at = process.hrtime.bigint();
      const lines = (pending + text).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const match = line.match(addedName);
        if (match) onAdded(match[1]!, at);
      }
    });
    res.on('error', () => {});
  });
  // Streams end when the scenario destroys them; that error is expected and not reported.
  req.on('error', () => {});
  req.end();
  return req;
}
