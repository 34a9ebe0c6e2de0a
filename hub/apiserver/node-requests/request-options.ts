// What the API server asks of a gateway's containers (api/mqtt/payloads/requests.ts carries them):
// `kubectl logs`, `exec`, `attach` and `port-forward`, and how such a request fails.

export interface LogsOptions {
  namespace: string;
  pod: string;
  container?: string | undefined;
  tailLines?: number | undefined;
  previous?: boolean | undefined;
  follow?: boolean | undefined;
  sinceSeconds?: number | undefined;
  timestamps?: boolean | undefined;
  limitBytes?: number | undefined;
}

export interface ExecOptions {
  namespace: string;
  pod: string;
  container?: string | undefined;
  command: string[];
  stdin?: boolean | undefined;
  stdout?: boolean | undefined;
  stderr?: boolean | undefined;
  tty?: boolean | undefined;
  timeoutSeconds?: number | undefined;
}

/** Attach to the container's own process (`kubectl attach`, `kubectl run -i`). */
export type AttachOptions = Omit<ExecOptions, 'command' | 'timeoutSeconds'>;

export interface PortForwardOptions {
  namespace: string;
  pod: string;
  /** The port in the pod's network namespace (on its localhost). */
  port: number;
}

/** Why a request failed: the node is offline, said nothing in time, or answered with an error. */
export class NodeRequestError extends Error {
  constructor(
    readonly kind: 'offline' | 'timeout' | 'failed',
    message: string,
    /** offline: since when, when known. */
    readonly since?: Date,
  ) {
    super(message);
    this.name = 'NodeRequestError';
  }
}

/** `value` without its undefined fields (they are left out of the request's JSON). */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
