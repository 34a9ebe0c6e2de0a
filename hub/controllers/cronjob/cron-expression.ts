// The schedule of a CronJob as kube reads it (robfig/cron's standard parser): five fields,
// lists, ranges, steps, names, `?`, the @descriptors and @every. When both day-of-month and
// day-of-week are restricted a day matching either one fires (classic cron); when either is
// `*` the other alone decides. Times are wall-clock times in the given IANA zone.
import { cronScheduleError } from '../../../api/validation/cron-schedule.js';
import { isKnownTimeZone, type WallClock, wallClock } from './zoned-time.js';

export interface CronExpression {
  /** The first schedule time strictly after `after`, or undefined when none comes within five years. */
  next(after: Date): Date | undefined;
}

/** The @descriptors as the five-field schedules they stand for (robfig/cron's parser). */
export const descriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const names: Record<string, number> = Object.fromEntries([
  ...['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [
    m,
    i + 1,
  ]),
  ...['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]),
]);

const bounds: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

/** A leading `TZ=zone` / `CRON_TZ=zone` (legacy schedules) and the rest of the schedule. */
export function splitZonePrefix(schedule: string): { zone: string | undefined; spec: string } {
  const text = schedule.trim();
  const match = /^(?:CRON_)?TZ=(\S+)\s+(.*)$/.exec(text);
  return match ? { zone: match[1], spec: match[2]!.trim() } : { zone: undefined, spec: text };
}

/** Throws an Error with the validator's message for a schedule kube would reject, or an unknown zone. */
export function parseCronExpression(schedule: string, timeZone: string): CronExpression {
  const problem = cronScheduleError(schedule);
  if (problem) throw new Error(`invalid schedule ${JSON.stringify(schedule)}: ${problem}`);
  const { zone, spec } = splitZonePrefix(schedule);
  const zoneName = zone ?? timeZone;
  if (!isKnownTimeZone(zoneName)) throw new Error(`unknown time zone ${zoneName}`);
  if (spec.startsWith('@every ')) return everySchedule(spec.slice('@every '.length).trim());
  const fields = (descriptors[spec] ?? spec).split(/\s+/);
  const sets = fields.map((field, i) => parseField(field, bounds[i]!));
  const [minutes, hours, days, months, weekdays] = sets.map((s) => s.values) as Set<number>[];
  const eitherDay = !sets[2]!.star && !sets[4]!.star;
  const dayMatches = (w: WallClock) =>
    eitherDay ? days!.has(w.day) || weekdays!.has(w.weekday) : days!.has(w.day) && weekdays!.has(w.weekday);
  return {
    next(after: Date): Date | undefined {
      let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
      const limit = t + 5 * 366 * 86_400_000;
      while (t <= limit) {
        const w = wallClock(t, zoneName);
        if (!months!.has(w.month) || !dayMatches(w)) {
          // On to the next local midnight; an hour short of it when far, so a DST change on
          // the way can only land us before midnight, never past it.
          const left = 24 * 60 - (w.hour * 60 + w.minute);
          t += (left > 120 ? left - 60 : left) * 60_000;
        } else if (!hours!.has(w.hour)) {
          t += (60 - w.minute) * 60_000;
        } else if (!minutes!.has(w.minute)) {
          t += 60_000;
        } else if (repeatsEarlierTime(t, w, zoneName)) {
          // The second pass through a wall-clock time when DST ends: it already fired.
          t += 60_000;
        } else {
          return new Date(t);
        }
      }
      return undefined;
    },
  };
}

/** Whether the same local date, hour and minute already happened 30 or 60 minutes earlier. */
function repeatsEarlierTime(t: number, w: WallClock, zone: string): boolean {
  return [30, 60].some((minutes) => {
    const earlier = wallClock(t - minutes * 60_000, zone);
    return earlier.day === w.day && earlier.hour === w.hour && earlier.minute === w.minute;
  });
}

function parseField(field: string, [min, max]: [number, number]): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      [start, end] = [min, max];
      // `*/2` restricts the field; only a plain `*` leaves it open for the day rule.
      if (step === 1) star = true;
    } else {
      const [low = '', high] = range.split('-');
      start = value(low);
      end = high === undefined ? (stepText === undefined ? start : max) : value(high);
    }
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return { values, star };
}

function value(text: string): number {
  return names[text.toLowerCase()] ?? Number(text);
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

/** `@every 1h30m`: a fixed delay from the previous time, in whole seconds, at least one. */
function everySchedule(duration: string): CronExpression {
  let ms = 0;
  for (const [, amount, unit] of duration.matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)) {
    ms += Number(amount) * unitsMs[unit!]!;
  }
  const delay = Math.max(1000, Math.floor(ms / 1000) * 1000);
  return { next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + delay) };
}
