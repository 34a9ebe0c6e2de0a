// Kubernetes' remotecommand channel protocols over WebSocket, as kube-apiserver and the kubelet
// serve them to `kubectl exec` (k8s.io/apimachinery wsstream, KEP-4006): every binary message
// starts with one channel byte — 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1.Status when the
// command ends), 4 resize (a TerminalSize JSON) — and v5.channel.k8s.io adds 255, "close": its
// one data byte names the channel the client has finished writing (stdin). v4 has no close.
// Pure: negotiation, framing and the status documents.
import type { TerminalSize } from '../../../api/mqtt/payloads/requests.js';

export const v5Protocol = 'v5.channel.k8s.io';
export const v4Protocol = 'v4.channel.k8s.io';
/** In the order we prefer them. */
export const supportedProtocols = [v5Protocol, v4Protocol] as const;
export type ChannelProtocol = (typeof supportedProtocols)[number];

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** The protocol to answer with, from the client's Sec-WebSocket-Protocol offers; undefined if none fits. */
export function negotiateProtocol(
  offered: string | readonly string[] | Set<string> | undefined,
): ChannelProtocol | undefined {
  const list = offered === undefined ? [] : typeof offered === 'string' ? offered.split(',') : [...offered];
  const names = new Set(list.map((p) => p.trim()));
  return supportedProtocols.find((p) => names.has(p));
}

export function frame(channel: number, data: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

export type ClientMessage =
  | { kind: 'stdin'; data: Buffer }
  | { kind: 'resize'; size: TerminalSize }
  | { kind: 'close'; channel: number }
  | { kind: 'ignored'; why: string };

/** What a client message means; `protocol` decides whether the close signal exists. */
export function parseClientMessage(message: Buffer, protocol: ChannelProtocol): ClientMessage {
  if (message.length === 0) return { kind: 'ignored', why: 'empty message' };
  const channel = message[0]!;
  const data = message.subarray(1);
  if (channel === Channel.stdin) return { kind: 'stdin', data };
  if (channel === Channel.resize) {
    const size = parseTerminalSize(data);
    return size ? { kind: 'resize', size } : { kind: 'ignored', why: 'malformed resize message' };
  }
  if (channel === Channel.close && protocol === v5Protocol) {
    if (data.length !== 1) return { kind: 'ignored', why: 'close signal without exactly one channel byte' };
    return { kind: 'close', channel: data[0]! };
  }
  return { kind: 'ignored', why: `nothing is read on channel ${channel}` };
}

/** remotecommand.TerminalSize: Go field names as keys ({"Width":80,"Height":24}), uint16 each. */
export function parseTerminalSize(data: Buffer): TerminalSize | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
  const { Width, Height } = (value ?? {}) as { Width?: unknown; Height?: unknown };
  const ok = (n: unknown): n is number =>
    Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffff;
  return ok(Width) && ok(Height) ? { width: Width, height: Height } : undefined;
}

export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: Array<{ reason: string; message: string }> };
}

/** What the error channel carries when the command ended with `exitCode` (kubelet's words). */
export function exitStatus(exitCode: number): ExecStatus {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** A failure that is not an exit code: kubectl prints `error: <message>`. */
export function failureStatus(message: string, reason = 'InternalError'): ExecStatus {
  return { metadata: {}, status: 'Failure', message, reason };
}
