// The AGE/DURATION format kubectl users know, following the rules of
// k8s.io/apimachinery/pkg/util/duration.HumanDuration: about two significant units,
// e.g. 45s, 3m2s, 10m, 5h3m, 20h, 2d3h, 20d, 2y30d, 9y.

const secondMs = 1000;

/**
 * Format a duration in milliseconds. Up to one second in the future still reads "0s"
 * (clocks of different machines disagree a little); further in the future is "<invalid>".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / secondMs);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 2 * 60) return `${seconds}s`;

  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return withRemainder(minutes, 'm', seconds % 60, 's');
  if (minutes < 3 * 60) return `${minutes}m`;

  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return withRemainder(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;

  const days = Math.trunc(hours / 24);
  if (days < 8) return withRemainder(days, 'd', hours % 24, 'h');
  if (days < 2 * 365) return `${days}d`;

  const years = Math.trunc(days / 365);
  if (years < 8) return withRemainder(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function withRemainder(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/**
 * Time elapsed since an RFC 3339 timestamp, as printed in AGE columns; "<unknown>" when
 * the timestamp is missing or unparsable, as kubectl prints for a zero time.
 */
export function timeSince(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return '<unknown>';
  return humanDuration(now.getTime() - at);
}
