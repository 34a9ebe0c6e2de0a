// Which schedule time a CronJob owes a Job for, after any downtime (kube's
// mostRecentScheduleTime): the latest schedule time after the last one handled (or the
// CronJob's creation), no earlier than startingDeadlineSeconds ago. Only that one runs; the
// ones before it are missed. More than 100 missed is reported, as kube does, since it usually
// means a wrong clock.
import type { CronExpression } from './cron-expression.js';

export const manyMissedThreshold = 100;

export interface ScheduleTimes {
  /** The most recent unmet schedule time, if any is due. */
  mostRecent: Date | undefined;
  /** How many schedule times were due (estimated past the threshold). */
  due: number;
  /** The next schedule time after now. */
  next: Date | undefined;
}

export function scheduleTimes(
  expression: CronExpression,
  lastHandled: Date,
  now: Date,
  startingDeadlineSeconds?: number,
): ScheduleTimes {
  let earliest = lastHandled;
  if (startingDeadlineSeconds !== undefined) {
    // Nothing before the deadline could start anyway.
    const deadline = new Date(now.getTime() - startingDeadlineSeconds * 1000);
    if (deadline > earliest) earliest = deadline;
  }
  const next = expression.next(now);
  const first = expression.next(earliest);
  if (!first || first > now) return { mostRecent: undefined, due: 0, next };
  let last = first;
  for (let due = 1; due <= manyMissedThreshold; due++) {
    const following = expression.next(last);
    if (!following || following > now) return { mostRecent: last, due, next };
    last = following;
  }
  // Too many to walk one by one: estimate the count from one interval, and look back from
  // now over a doubling window until a schedule time turns up.
  const interval = Math.max(1000, (expression.next(first)?.getTime() ?? first.getTime()) - first.getTime());
  const due = Math.max(manyMissedThreshold + 1, Math.floor((now.getTime() - first.getTime()) / interval) + 1);
  for (let window = 2 * interval; ; window *= 2) {
    const from = new Date(Math.max(last.getTime(), now.getTime() - window));
    let found = expression.next(from);
    if (found && found <= now) {
      for (let t = expression.next(found); t && t <= now; t = expression.next(t)) found = t;
      return { mostRecent: found, due, next };
    }
    if (from.getTime() === last.getTime()) return { mostRecent: last, due, next };
  }
}
