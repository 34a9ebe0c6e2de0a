// `--metrics-bind HOST:PORT` of the hub and the agent: where Prometheus scrapes /metrics with no
// credentials. Pure: parsing and the error naming the flag.
import { isIP } from 'node:net';

export interface MetricsBind {
  host: string;
  port: number;
}

/** `127.0.0.1:9180`, `[::1]:9180`, `0.0.0.0:9180`; `off` (undefined) turns the listener off. */
export function parseMetricsBind(
  value: string,
  flag: string,
  options: { loopbackOnly?: boolean } = {},
): MetricsBind | undefined {
  if (value === 'off') return undefined;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || isIP(host) === 0 || !(port >= 0 && port <= 65535)) {
    throw new Error(`${flag} must be IP:PORT (e.g. 127.0.0.1:9180) or off, got ${JSON.stringify(value)}`);
  }
  if (options.loopbackOnly && !isLoopback(host)) {
    throw new Error(
      `${flag} serves /metrics without authentication, so only on a loopback address (127.0.0.1 or ::1), got ${host}; scrape /metrics on the API port with a token from elsewhere`,
    );
  }
  return { host, port };
}

function isLoopback(host: string): boolean {
  return host === '::1' || /^127\./.test(host);
}
