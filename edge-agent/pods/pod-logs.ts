// Reading container logs from the CRI log files containerd writes
// (`<RFC3339Nano> <stdout|stderr> <F|P> <text>`, P lines continued by the next entry of the
// same stream), with kubectl's tailLines, and picking the instance like the kubelet does for
// `kubectl logs` and `kubectl logs --previous`.
import { readFile } from 'node:fs/promises';
import type { ApiContainerStatus } from './container-statuses.js';

const criLine = /^(\S+) (stdout|stderr) ([FP])(?: (.*))?$/;

/** The text of a CRI log file as the container wrote it, one string per full line. */
export function parseCriLog(text: string): string[] {
  const lines: string[] = [];
  const partial: Record<string, string> = { stdout: '', stderr: '' };
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const match = criLine.exec(raw);
    if (!match) {
      lines.push(raw);
      continue;
    }
    const stream = match[2] as 'stdout' | 'stderr';
    const content = match[4] ?? '';
    if (match[3] === 'P') {
      partial[stream] += content;
      continue;
    }
    lines.push(partial[stream] + content);
    partial[stream] = '';
  }
  for (const rest of Object.values(partial)) if (rest !== '') lines.push(rest);
  return lines;
}

export function formatLog(lines: string[], tailLines?: number): string {
  const shown =
    tailLines !== undefined && tailLines >= 0 ? lines.slice(Math.max(0, lines.length - tailLines)) : lines;
  return shown.map((line) => `${line}\n`).join('');
}

export async function readCriLog(path: string, tailLines?: number): Promise<string> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return formatLog(parseCriLog(text), tailLines);
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
