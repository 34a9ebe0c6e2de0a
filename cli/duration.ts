// Durations on the command line, as Kubernetes tools write them: Go's time.ParseDuration in whole
// seconds (api/disconnect-policy.ts: `40s`, `2m`, `24h`, `1h30m`, `24h0m0s`); a bare number is
// seconds, as --node-monitor-grace-period always accepted.
import { parseDurationSeconds } from '../api/disconnect-policy.js';
import { UsageError } from '../api/usage-error.js';

/** Milliseconds; throws UsageError naming the flag. */
export function parseDuration(value: string, flag: string): number {
  const parsed = parseDurationSeconds(/^\d+$/.test(value) ? `${value}s` : value);
  if (!parsed.ok) {
    throw new UsageError(
      `${flag} must be a duration like 40s, 2m, 24h or 1h30m, got ${JSON.stringify(value)}: ${parsed.error}`,
    );
  }
  return parsed.value * 1000;
}
