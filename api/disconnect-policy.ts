// The `flotilla.io/disconnect` annotation: what a pod does when its gateway loses the hub
// (README, "Offline gateways keep their pods"). Pure: the API server validates it and turns
// replace-after into tolerations; the agent reads it to stop pods by itself while offline.
//
//   keep                      (default) run on, however long the hub is away
//   stop-after=<duration>     the agent stops the pod after that long offline and starts it
//                             again once the hub is back and still wants it
//   replace-after=<duration>  the agent stops it and the hub replaces it on a reachable gateway
//                             (its controller makes the copy); the old one goes on reconnect
//
// Durations are Go's (time.ParseDuration: 90s, 10m, 1h30m), in whole seconds because they become
// tolerationSeconds.
import { type FieldError, forbidden, invalidValue } from './errors.js';

export const disconnectAnnotation = 'flotilla.io/disconnect';

export type DisconnectPolicy =
  | { action: 'keep' }
  | { action: 'stop-after' | 'replace-after'; seconds: number };

/** Shorter than the time it takes to notice a lost link makes no sense, but tests want seconds. */
export const minDisconnectSeconds = 1;
/** A year: anything longer is "keep". */
export const maxDisconnectSeconds = 365 * 24 * 3600;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const unitNanos: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's time.ParseDuration (without the sign), in seconds; fractions of a second are refused. */
export function parseDurationSeconds(text: string): Parsed<number> {
  if (text === '0') return { ok: true, value: 0 };
  const part = /(\d*)(?:\.(\d*))?([a-zµμ]+)/gy;
  let nanos = 0;
  let at = 0;
  if (text === '') return { ok: false, error: 'empty duration' };
  while (at < text.length) {
    part.lastIndex = at;
    const match = part.exec(text);
    if (!match || (match[1] === '' && (match[2] ?? '') === '')) {
      return { ok: false, error: `invalid duration ${JSON.stringify(text)}` };
    }
    const unit = unitNanos[match[3]!];
    if (unit === undefined) {
      return {
        ok: false,
        error: `unknown unit ${JSON.stringify(match[3])} in duration ${JSON.stringify(text)}`,
      };
    }
    nanos += Number(`${match[1] || '0'}.${match[2] || '0'}`) * unit;
    at = part.lastIndex;
  }
  // Rounded to the nanosecond first, as Go keeps an integer count of them.
  const rounded = Math.round(nanos);
  if (rounded % 1e9 !== 0) return { ok: false, error: 'must be a whole number of seconds' };
  return { ok: true, value: rounded / 1e9 };
}

/** A policy from the annotation's value. */
export function parseDisconnectPolicy(value: string): Parsed<DisconnectPolicy> {
  if (value === 'keep') return { ok: true, value: { action: 'keep' } };
  const match = /^(stop-after|replace-after)=(.*)$/.exec(value);
  if (!match) {
    return {
      ok: false,
      error: 'must be "keep", "stop-after=<duration>" or "replace-after=<duration>" (e.g. stop-after=10m)',
    };
  }
  const action = match[1] as 'stop-after' | 'replace-after';
  const duration = parseDurationSeconds(match[2]!);
  if (!duration.ok) return { ok: false, error: `${action}: ${duration.error}` };
  const seconds = duration.value;
  if (seconds < minDisconnectSeconds) {
    return { ok: false, error: `${action}: must be at least ${minDisconnectSeconds}s` };
  }
  if (seconds > maxDisconnectSeconds) {
    return { ok: false, error: `${action}: must be at most ${maxDisconnectSeconds / 3600}h` };
  }
  return { ok: true, value: { action, seconds } };
}

function annotationOf(annotations: unknown): unknown {
  if (typeof annotations !== 'object' || annotations === null) return undefined;
  return (annotations as Record<string, unknown>)[disconnectAnnotation];
}

/**
 * The policy a pod's annotations ask for. The API server refuses bad values, so a value that
 * does not parse here (an object stored before validation existed) means the default, keep.
 */
export function disconnectPolicyOf(annotations: unknown): DisconnectPolicy {
  const value = annotationOf(annotations);
  if (typeof value !== 'string') return { action: 'keep' };
  const parsed = parseDisconnectPolicy(value);
  return parsed.ok ? parsed.value : { action: 'keep' };
}

/** tolerationSeconds for the unreachable and not-ready taints; undefined unless replace-after. */
export function replaceAfterSeconds(annotations: unknown): number | undefined {
  const policy = disconnectPolicyOf(annotations);
  return policy.action === 'replace-after' ? policy.seconds : undefined;
}

/** The policy as written in the annotation, for messages. */
export function describeDisconnectPolicy(policy: DisconnectPolicy): string {
  if (policy.action === 'keep') return `${disconnectAnnotation}=keep`;
  return `${disconnectAnnotation}=${policy.action}=${formatSeconds(policy.seconds)}`;
}

/** Seconds as a Go duration without zero parts: 90 → 1m30s, 3600 → 1h. */
export function formatSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}

export interface DisconnectRules {
  /** Where the annotations are: `metadata.annotations`, `spec.template.metadata.annotations`. */
  path: string;
  /** On a pod update, its metadata before: the policy is fixed once the pod exists. */
  old?: { annotations?: unknown };
  /** Why replace-after is refused here (DaemonSets: one pod per gateway, nothing to replace). */
  noReplace?: string;
}

/** Field errors for the annotation, named `<path>[flotilla.io/disconnect]`. */
export function validateDisconnectAnnotation(annotations: unknown, rules: DisconnectRules): FieldError[] {
  const field = `${rules.path}[${disconnectAnnotation}]`;
  const value = annotationOf(annotations);
  if (rules.old && value !== annotationOf(rules.old.annotations)) {
    // The hub turned the policy into tolerations when the pod was created; changing it later
    // would leave the hub and the gateway disagreeing.
    return [invalidValue(field, value ?? null, 'field is immutable')];
  }
  if (value === undefined) return [];
  if (typeof value !== 'string') return []; // annotation values are checked as strings elsewhere
  const parsed = parseDisconnectPolicy(value);
  if (!parsed.ok) return [invalidValue(field, value, parsed.error)];
  if (parsed.value.action === 'replace-after' && rules.noReplace) return [forbidden(field, rules.noReplace)];
  return [];
}
