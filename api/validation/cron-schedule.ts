// A CronJob's schedule as kube reads it: robfig/cron's ParseStandard, which kube-apiserver
// validates with and the CronJob controller runs by. Five fields with lists, ranges, steps
// (`N/step` meaning N to the end), month and weekday names, `?`; the @descriptors and `@every
// <duration>`; a leading `TZ=zone` or `CRON_TZ=zone`. Errors carry that parser's messages, so
// users see familiar ones. The one reading of a schedule: validation takes its error, the hub's
// controller its fields, and the node-cron patterns that wake the controller are written from it.

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

/** The @descriptors as the five-field schedules they stand for. */
export const cronDescriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** One field: the values it allows, and whether it is left open (a plain `*` or `?`, maybe `*\/1`). */
export interface CronField {
  values: Set<number>;
  star: boolean;
}

type CronTexts = [string, string, string, string, string];
type CronFields = [CronField, CronField, CronField, CronField, CronField];

export interface CronSchedule {
  /** The zone a TZ=/CRON_TZ= prefix names, if any. */
  zone: string | undefined;
  /** `@every`: the fixed interval in ms (whole seconds, at least one); the fields are then absent. */
  everyMs?: number;
  /** minute, hour, day of month, month, day of week, as written (descriptors spelled out). */
  texts?: CronTexts;
  fields?: CronFields;
}

/** The schedule read, or the parser's message for what kube would refuse. */
export function parseCronSchedule(schedule: string): CronSchedule | { error: string } {
  let text = schedule.trim();
  let zone: string | undefined;
  if (text.startsWith('TZ=') || text.startsWith('CRON_TZ=')) {
    const space = text.indexOf(' ');
    if (space < 0) return { error: 'missing spec after timezone' };
    zone = text.slice(text.indexOf('=') + 1, space);
    text = text.slice(space + 1).trim();
  }
  const spelled = Object.hasOwn(cronDescriptors, text) ? cronDescriptors[text]! : text;
  if (spelled.startsWith('@')) return parseDescriptor(text, zone);
  const texts = spelled.split(/\s+/).filter((f) => f !== '');
  if (texts.length !== 5)
    return { error: `expected exactly 5 fields, found ${texts.length}: [${texts.join(' ')}]` };
  const fields: CronField[] = [];
  for (const [i, field] of texts.entries()) {
    const parsed = parseField(field, fieldBounds[i]!);
    if (typeof parsed === 'string') return { error: parsed };
    fields.push(parsed);
  }
  return { zone, texts: texts as CronTexts, fields: fields as CronFields };
}

/** Returns the parse error for `schedule`, or undefined when it is valid. */
export function cronScheduleError(schedule: string): string | undefined {
  const parsed = parseCronSchedule(schedule);
  return 'error' in parsed ? parsed.error : undefined;
}

const unitsMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

function parseDescriptor(text: string, zone: string | undefined): CronSchedule | { error: string } {
  if (!text.startsWith('@every ')) return { error: `unrecognized descriptor: ${text}` };
  const duration = text.slice('@every '.length).trim();
  if (!/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(duration))
    return { error: `failed to parse duration ${text}: time: invalid duration "${duration}"` };
  let ms = 0;
  for (const [, amount, unit] of duration.matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)) {
    ms += Number(amount) * unitsMs[unit!]!;
  }
  // robfig/cron rounds @every down to whole seconds, and runs it at least once a second.
  return { zone, everyMs: Math.max(1000, Math.floor(ms / 1000) * 1000) };
}

function parseField(field: string, bounds: FieldBounds): CronField | string {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) {
    const range = parseRange(part, bounds);
    if (typeof range === 'string') return range;
    for (let v = range.start; v <= range.end; v += range.step) values.add(v);
    star ||= range.star;
  }
  return { values, star };
}

function parseRange(
  expr: string,
  bounds: FieldBounds,
): { start: number; end: number; step: number; star: boolean } | string {
  const [rangePart = '', stepPart, ...extraSlash] = expr.split('/');
  if (extraSlash.length > 0) return `too many slashes: ${expr}`;
  let start: number;
  let end: number;
  let star = false;
  if (rangePart === '*' || rangePart === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
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
  let step = 1;
  if (stepPart !== undefined) {
    const parsed = parseValue(stepPart, { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (typeof parsed === 'string') return parsed;
    if (parsed === 0) return `step of range should be a positive number: ${expr}`;
    step = parsed;
    // `*/2` restricts the field; only a plain `*` leaves it open for the day rule.
    if (step > 1) star = false;
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return { start, end, step, star };
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
