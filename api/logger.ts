// The one logging interface of the hub, the agent and the command line. Components receive a
// Logger and never build one: `flotilla hub` and `flotilla agent` make the process's logger from
// --log-format and --log-level (cli/logging/), tests capture lines (test/helpers/capture-logger.ts).
// A component logs through a child named after it, so every line says who wrote it:
// `log.child('controller-manager').child('job')` writes as `controller-manager/job`.

/** Kubernetes components' verbosity in four steps, least to most severe. */
export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Structured context of a line: `node=gw-1 revision=42` in text, keys in JSON. */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger for a part of this component: its name is appended with a `/`. */
  child(component: string): Logger;
}

/** Where nothing needs to be said (a component's default when its caller gives no logger). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

/** `parent/child`, or the child alone at the root. */
export function childComponent(parent: string | undefined, child: string): string {
  return parent ? `${parent}/${child}` : child;
}
