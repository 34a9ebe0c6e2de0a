// `kubectl logs -f` on the agent: polls the container's log file through the pod manager and
// sends what it gained as further chunks, with an empty keep-alive chunk while it stays quiet
// (the hub gives up on a stream idle for 10 s, hub/apiserver/node-requests/reply-streams.ts). It ends, like
// the kubelet's follow, when the followed container instance has exited and its log is drained.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogsRequest } from '../../api/mqtt/payloads/requests.js';
import type { LogSlice } from '../pods/pod-log-request.js';
import type { CriEntry, LogFormat } from '../pods/pod-logs.js';

export interface FollowTiming {
  pollMs: number;
  keepAliveMs: number;
}

export const defaultFollowTiming: FollowTiming = { pollMs: 500, keepAliveMs: 5_000 };

export interface FollowDeps {
  readFrom(offset: number): Promise<LogSlice>;
  /** Sends text as the next chunk; an empty string is a keep-alive. */
  send(text: string): Promise<void>;
  format(entries: CriEntry[], first: boolean): string;
  timing: FollowTiming;
  now: () => number;
  signal: AbortSignal;
}

/** The kubectl options of a logs request as agent-side formatting. */
export function logFormatOf(request: LogsRequest, now: number): LogFormat {
  return {
    ...(request.tailLines !== undefined ? { tailLines: request.tailLines } : {}),
    ...(request.sinceSeconds !== undefined ? { sinceMs: now - request.sinceSeconds * 1000 } : {}),
    ...(request.timestamps ? { timestamps: true } : {}),
  };
}

/** Sends the log so far, then what it gains, until aborted or the container exits. */
export async function followLog(deps: FollowDeps): Promise<void> {
  let slice = await deps.readFrom(0);
  const followed = slice.containerId;
  await deps.send(deps.format(slice.entries, true));
  let lastSent = deps.now();
  while (slice.running && !deps.signal.aborted) {
    const aborted = await sleep(deps.timing.pollMs, false, { signal: deps.signal }).catch(() => true);
    if (aborted) return;
    slice = await deps.readFrom(slice.offset);
    if (slice.containerId !== followed) return; // restarted: the followed instance is gone
    const text = deps.format(slice.entries, false);
    if (text === '' && deps.now() - lastSent < deps.timing.keepAliveMs) continue;
    if (deps.signal.aborted) return;
    await deps.send(text);
    lastSent = deps.now();
  }
}
