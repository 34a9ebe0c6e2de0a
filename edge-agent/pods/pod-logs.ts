// Reading container logs from the CRI log files containerd writes
// (`<RFC3339Nano> <stdout|stderr> <F|P> <text>`, P lines continued by the next entry of the
// same stream), with kubectl's tailLines, and picking the instance like the kubelet does for
// `kubectl logs` and `kubectl logs --previous`, and following a log from a byte offset for `-f`.
import { open, readFile } from 'node:fs/promises';
import type { ApiContainerStatus } from './container-statuses.js';

const criLine = /^(\S+) (stdout|stderr) ([FP])(?: (.*))?$/;

/** One entry of a CRI log file; a line that is not CRI formatted is kept whole as stdout. */
export interface CriEntry {
  time: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  text: string;
}

/** The entries of CRI log text, partial (P) entries as they are. */
export function parseCriEntries(text: string): CriEntry[] {
  const entries: CriEntry[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const match = criLine.exec(raw);
    if (!match) entries.push({ time: '', stream: 'stdout', partial: false, text: raw });
    else
      entries.push({
        time: match[1] ?? '',
        stream: match[2] as 'stdout' | 'stderr',
        partial: match[3] === 'P',
        text: match[4] ?? '',
      });
  }
  return entries;
}

/** Joins P entries to the next entry of the same stream; leftovers end as lines of their own. */
export function mergeCriEntries(entries: CriEntry[]): CriEntry[] {
  const merged: CriEntry[] = [];
  const open: Partial<Record<CriEntry['stream'], CriEntry>> = {};
  for (const entry of entries) {
    const started = open[entry.stream];
    const whole = started ? { ...started, text: started.text + entry.text } : entry;
    if (entry.partial) {
      open[entry.stream] = { ...whole, partial: false };
      continue;
    }
    delete open[entry.stream];
    merged.push({ ...whole, partial: false });
  }
  for (const rest of Object.values(open)) if (rest.text !== '') merged.push(rest);
  return merged;
}

/** The text of a CRI log file as the container wrote it, one string per full line. */
export function parseCriLog(text: string): string[] {
  return mergeCriEntries(parseCriEntries(text)).map((entry) => entry.text);
}

export function formatLog(lines: string[], tailLines?: number): string {
  const shown =
    tailLines !== undefined && tailLines >= 0 ? lines.slice(Math.max(0, lines.length - tailLines)) : lines;
  return shown.map((line) => `${line}\n`).join('');
}

/** kubectl logs options applied on the agent; `sinceMs` is sinceSeconds turned into a time. */
export interface LogFormat {
  tailLines?: number;
  sinceMs?: number;
  timestamps?: boolean;
}

/** Entries as kubectl shows them: since, tail, then the timestamp prefix; P entries end no line. */
export function formatEntries(entries: CriEntry[], format: LogFormat = {}): string {
  const { tailLines, sinceMs, timestamps } = format;
  // An entry without a timestamp (not CRI formatted) cannot be placed in time, so it stays.
  const recent =
    sinceMs === undefined ? entries : entries.filter((e) => e.time === '' || Date.parse(e.time) >= sinceMs);
  const shown =
    tailLines !== undefined && tailLines >= 0 ? recent.slice(Math.max(0, recent.length - tailLines)) : recent;
  return shown
    .map((e) => `${timestamps && e.time !== '' ? `${e.time} ` : ''}${e.text}${e.partial ? '' : '\n'}`)
    .join('');
}

export async function readCriLog(path: string, format: LogFormat = {}): Promise<string> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return formatEntries(mergeCriEntries(parseCriEntries(text)), format);
}

/**
 * The complete entries written after byte `offset` and the offset after them, for following a
 * log: an entry still being written (no newline yet) is left for the next read. A file shorter
 * than `offset` was replaced, so it is read from the start.
 */
export async function readCriLogFrom(
  path: string,
  offset: number,
): Promise<{ entries: CriEntry[]; offset: number }> {
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!file) return { entries: [], offset };
  try {
    const { size } = await file.stat();
    const start = size < offset ? 0 : offset;
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
    const complete = buffer.subarray(0, buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1);
    return { entries: parseCriEntries(complete.toString('utf8')), offset: start + complete.length };
  } finally {
    await file.close();
  }
}

export class LogsError extends Error {
  override name = 'LogsError';
}

/** The container ID whose log `kubectl logs [--previous]` shows (kubelet's validateContainerLogStatus). */
export function logContainerId(status: ApiContainerStatus, pod: string, previous: boolean): string {
  const { state, lastState, name } = status;
  const strip = (id: string) => id.replace(/^[a-z0-9-]+:\/\//, '');
  if (previous) {
    if (!lastState.terminated?.containerID) {
      throw new LogsError(`previous terminated container "${name}" in pod "${pod}" not found`);
    }
    return strip(lastState.terminated.containerID);
  }
  if (state.running && status.containerID) return strip(status.containerID);
  if (state.terminated?.containerID) return strip(state.terminated.containerID);
  if (lastState.terminated?.containerID) return strip(lastState.terminated.containerID);
  const reason = state.waiting?.reason ?? 'ContainerCreating';
  const why =
    reason === 'ErrImagePull'
      ? "image can't be pulled"
      : reason === 'ImagePullBackOff'
        ? 'trying and failing to pull image'
        : reason;
  throw new LogsError(`container "${name}" in pod "${pod}" is waiting to start: ${why}`);
}
