// The CRI container log format (kubelet's "CRI logging" format): one line per write,
// `<RFC3339Nano timestamp> <stdout|stderr> <F|P> <content>`, F for a full line and P for a
// partial one that the next entry continues. containerd writes these files; FakeRuntime
// imitates them.

export type LogStream = 'stdout' | 'stderr';

/** RFC 3339 with nanoseconds, as containerd writes it: 2026-11-23T18:24:11.354000000Z. */
export function criLogTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export function formatCriLogLine(ms: number, stream: LogStream, content: string, partial = false): string {
  return `${criLogTimestamp(ms)} ${stream} ${partial ? 'P' : 'F'} ${content}\n`;
}
