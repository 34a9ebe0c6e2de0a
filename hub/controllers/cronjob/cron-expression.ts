// The schedule of a CronJob as kube runs it: the first schedule time after a given instant, in
// wall-clock time of an IANA zone. When both day-of-month and day-of-week are restricted a day
// matching either one fires (classic cron); when either is `*` the other alone decides. The
// schedule is read once, by api/validation/cron-schedule.ts.
//
// node-cron (cron-trigger.ts) wakes the controller at these times; this stays our own because
// node-cron cannot do it: its next run counts only from the real now (the controller computes
// missed runs after downtime on its own Clock), its matcher ANDs the two day fields, and it has
// no @every.
import { type CronSchedule, parseCronSchedule } from '../../../api/validation/cron-schedule.js';
import { isKnownTimeZone, type WallClock, wallClock } from './zoned-time.js';

export interface CronExpression {
  /** The first schedule time strictly after `after`, or undefined when none comes within five years. */
  next(after: Date): Date | undefined;
}

/** Throws an Error with the validator's message for a schedule kube would reject, or an unknown zone. */
export function parseCronExpression(schedule: string, timeZone: string): CronExpression {
  const parsed = parseCronSchedule(schedule);
  if ('error' in parsed) throw new Error(`invalid schedule ${JSON.stringify(schedule)}: ${parsed.error}`);
  const zoneName = parsed.zone ?? timeZone;
  if (!isKnownTimeZone(zoneName)) throw new Error(`unknown time zone ${zoneName}`);
  return parsed.everyMs !== undefined ? everySchedule(parsed.everyMs) : fieldSchedule(parsed, zoneName);
}

function fieldSchedule({ fields }: CronSchedule, zoneName: string): CronExpression {
  const [minutes, hours, days, months, weekdays] = fields!.map((f) => f.values);
  const eitherDay = !fields![2].star && !fields![4].star;
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

/** `@every`: a fixed delay from the previous time, in whole seconds. */
function everySchedule(delay: number): CronExpression {
  return { next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + delay) };
}
