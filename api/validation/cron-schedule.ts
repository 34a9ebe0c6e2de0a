// A validator for the standard five-field cron syntax (what robfig/cron's ParseStandard
// accepts, which kube-apiserver uses): lists, ranges, steps, month and weekday names, `?`,
// and the @descriptors. Messages follow that parser's so users see familiar errors.

interface FieldBounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const months: Record<string, number> = Object.fromEntries(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [
    m,
    i + 1,
  ]),
);
const weekdays: Record<string, number> = Object.fromEntries(
  ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]),
);

const fieldBounds: FieldBounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: months },
  { min: 0, max: 6, names: weekdays },
];

const descriptors = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Returns the parse error for `schedule`, or undefined when it is valid. */
export function cronScheduleError(schedule: string): string | undefined {
  // A leading TZ=/CRON_TZ= is parsed (and rejected separately by the CronJob rules).
  let text = schedule.trim();
  if (text.startsWith('TZ=') || text.startsWith('CRON_TZ=')) {
    const space = text.indexOf(' ');
    if (space < 0) return 'missing spec after timezone';
    text = text.slice(space + 1).trim();
  }
  if (text.startsWith('@')) return descriptorError(text);
  const fields = text.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (const [i, field] of fields.entries()) {
    const bounds = fieldBounds[i];
    if (!bounds) continue;
    for (const part of field.split(',')) {
      const problem = rangeError(part, bounds);
      if (problem) return problem;
    }
  }
  return undefined;
}

function descriptorError(text: string): string | undefined {
  if (descriptors.includes(text)) return undefined;
  if (text.startsWith('@every ')) {
    const duration = text.slice('@every '.length).trim();
    return /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(duration)
      ? undefined
      : `failed to parse duration ${text}: time: invalid duration "${duration}"`;
  }
  return `unrecognized descriptor: ${text}`;
}

function rangeError(expr: string, bounds: FieldBounds): string | undefined {
  const [rangePart = '', stepPart, ...extraSlash] = expr.split('/');
  if (extraSlash.length > 0) return `too many slashes: ${expr}`;
  let start: number;
  let end: number;
  if (rangePart === '*' || rangePart === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    const [low = '', high, ...extraHyphen] = rangePart.split('-');
    if (extraHyphen.length > 0) return `too many hyphens: ${expr}`;
    const lowValue = parseValue(low, bounds);
    if (typeof lowValue === 'string') return lowValue;
    start = lowValue;
    const highValue =
      high === undefined ? (stepPart === undefined ? lowValue : bounds.max) : parseValue(high, bounds);
    if (typeof highValue === 'string') return highValue;
    end = highValue;
  }
  if (stepPart !== undefined) {
    const step = parseValue(stepPart, { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (typeof step === 'string') return step;
    if (step === 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

function parseValue(text: string, bounds: FieldBounds): number | string {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^-?[0-9]+$/.test(text))
    return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  const value = Number(text);
  if (value < 0) return `negative number (${value}) not allowed: ${text}`;
  return value;
}
