import assert from 'node:assert/strict';
import cron from 'node-cron';
import { parseCronExpression } from '../../../hub/controllers/cronjob/cron-expression.js';
import { NodeCronTrigger, nodeCronPatterns } from '../../../hub/controllers/cronjob/cron-trigger.js';
import { scheduleTimes } from '../../../hub/controllers/cronjob/missed-runs.js';
import { rfc3339In } from '../../../hub/controllers/cronjob/zoned-time.js';

const utc = (text: string) => new Date(text);
const nextAfter = (schedule: string, zone: string, after: string) =>
  parseCronExpression(schedule, zone).next(utc(after))?.toISOString();
const runs = (schedule: string, zone: string, after: string, count: number) => {
  const expression = parseCronExpression(schedule, zone);
  const times: string[] = [];
  let t: Date | undefined = utc(after);
  for (let i = 0; i < count && t; i++) {
    t = expression.next(t);
    if (t) times.push(t.toISOString());
  }
  return times;
};

describe('Cron schedules in time zones', () => {
  it("reads wall-clock times in the CronJob's zone, including half-hour offsets", () => {
    assert.equal(
      nextAfter('0 9 * * *', 'America/New_York', '2025-06-01T00:00:00Z'),
      '2025-06-01T13:00:00.000Z',
    );
    assert.equal(
      nextAfter('0 9 * * *', 'America/New_York', '2025-01-15T00:00:00Z'),
      '2025-01-15T14:00:00.000Z',
    );
    assert.equal(nextAfter('0 9 * * *', 'Asia/Kolkata', '2025-06-01T00:00:00Z'), '2025-06-01T03:30:00.000Z');
    assert.equal(nextAfter('0 9 * * *', 'Etc/UTC', '2025-06-01T09:00:00Z'), '2025-06-02T09:00:00.000Z');
  });

  it('skips a time that does not exist when DST starts, and runs a repeated one once when it ends', () => {
    assert.equal(
      nextAfter('30 2 * * *', 'Europe/Berlin', '2025-03-29T12:00:00Z'),
      '2025-03-31T00:30:00.000Z',
    );
    assert.deepEqual(runs('30 2 * * *', 'Europe/Berlin', '2025-10-25T12:00:00Z', 2), [
      '2025-10-26T00:30:00.000Z',
      '2025-10-27T01:30:00.000Z',
    ]);
  });

  it('fires on either day field when both are restricted, as classic cron does', () => {
    assert.deepEqual(runs('0 0 13 * 5', 'Etc/UTC', '2025-06-01T00:00:00Z', 3), [
      '2025-06-06T00:00:00.000Z',
      '2025-06-13T00:00:00.000Z',
      '2025-06-20T00:00:00.000Z',
    ]);
    assert.deepEqual(runs('0 0 13 * *', 'Etc/UTC', '2025-06-01T00:00:00Z', 2), [
      '2025-06-13T00:00:00.000Z',
      '2025-07-13T00:00:00.000Z',
    ]);
    assert.equal(nextAfter('0 0 * * mon', 'Etc/UTC', '2025-06-01T00:00:00Z'), '2025-06-02T00:00:00.000Z');
  });

  it('understands steps from a start, names, descriptors and @every', () => {
    assert.deepEqual(
      runs('5/20 * * * *', 'Etc/UTC', '2025-06-01T00:00:00Z', 3).map((t) => t.slice(14, 16)),
      ['05', '25', '45'],
    );
    assert.equal(nextAfter('0 0 1 jan-mar *', 'Etc/UTC', '2025-06-01T00:00:00Z'), '2026-01-01T00:00:00.000Z');
    assert.equal(nextAfter('@hourly', 'Etc/UTC', '2025-06-01T10:20:00Z'), '2025-06-01T11:00:00.000Z');
    assert.equal(nextAfter('@weekly', 'Etc/UTC', '2025-06-03T10:20:00Z'), '2025-06-08T00:00:00.000Z');
    assert.equal(nextAfter('@every 1h30m', 'Etc/UTC', '2025-06-01T10:20:00Z'), '2025-06-01T11:50:00.000Z');
    assert.equal(
      nextAfter('TZ=Asia/Tokyo 0 9 * * *', 'Etc/UTC', '2025-06-01T01:00:00Z'),
      '2025-06-02T00:00:00.000Z',
    );
  });

  it('finds nothing for a date that never comes, and refuses what kube refuses', () => {
    assert.equal(nextAfter('0 0 31 2 *', 'Etc/UTC', '2025-01-01T00:00:00Z'), undefined);
    assert.throws(
      () => parseCronExpression('61 * * * *', 'Etc/UTC'),
      /end of range \(61\) above maximum \(59\)/,
    );
  });

  it("writes the scheduled time with the zone's offset", () => {
    assert.equal(rfc3339In(Date.parse('2025-06-01T07:00:00Z'), 'Europe/Berlin'), '2025-06-01T09:00:00+02:00');
    assert.equal(rfc3339In(Date.parse('2025-06-01T07:00:00Z'), 'Etc/UTC'), '2025-06-01T07:00:00Z');
    assert.equal(
      rfc3339In(Date.parse('2025-06-01T07:00:00Z'), 'America/St_Johns'),
      '2025-06-01T04:30:00-02:30',
    );
  });
});

describe('Missed schedule times', () => {
  const hourly = parseCronExpression('0 * * * *', 'Etc/UTC');
  const last = utc('2025-06-01T10:00:00Z');

  it('owes nothing before the next time, and says when that is', () => {
    assert.deepEqual(scheduleTimes(hourly, last, utc('2025-06-01T10:30:00Z')), {
      mostRecent: undefined,
      due: 0,
      next: utc('2025-06-01T11:00:00Z'),
    });
  });

  it('owes only the most recent of several missed times', () => {
    const times = scheduleTimes(hourly, last, utc('2025-06-01T13:30:00Z'));
    assert.deepEqual([times.mostRecent, times.due], [utc('2025-06-01T13:00:00Z'), 3]);
  });

  it('owes nothing older than startingDeadlineSeconds', () => {
    assert.equal(scheduleTimes(hourly, last, utc('2025-06-01T13:30:00Z'), 600).mostRecent, undefined);
    assert.deepEqual(
      scheduleTimes(hourly, last, utc('2025-06-01T13:30:00Z'), 3600).mostRecent,
      utc('2025-06-01T13:00:00Z'),
    );
  });

  it('counts past 100 missed times without walking them, still finding the most recent', () => {
    const everyMinute = parseCronExpression('* * * * *', 'Etc/UTC');
    const times = scheduleTimes(everyMinute, last, utc('2025-06-04T10:00:30Z'));
    assert.equal(times.due, 3 * 24 * 60);
    assert.deepEqual(times.mostRecent, utc('2025-06-04T10:00:00Z'));
  });

  it('finds the most recent time of an irregular schedule across a weekend', () => {
    const officeHours = parseCronExpression('30 6-16/4 * * 1-5', 'Etc/UTC');
    // Monday 05:00, two months after the last run: more than 100 missed.
    const times = scheduleTimes(officeHours, utc('2025-04-01T00:00:00Z'), utc('2025-06-02T05:00:00Z'));
    assert.ok(times.due > 100);
    assert.deepEqual(times.mostRecent, utc('2025-05-30T14:30:00Z'));
  });
});

describe('node-cron wake-up patterns', () => {
  it("turns classic cron's either-day rule into two node-cron patterns node-cron accepts", () => {
    const { patterns } = nodeCronPatterns('0 0 13 * 5');
    assert.deepEqual(patterns, ['0 0 13 * *', '0 0 * * 5']);
    for (const pattern of patterns) assert.ok(cron.validate(pattern));
  });

  it("spells descriptors out, leaves @every to the controller's timer and reads TZ=", () => {
    assert.deepEqual(nodeCronPatterns('@daily'), { patterns: ['0 0 * * *'], zone: undefined });
    assert.deepEqual(nodeCronPatterns('@every 5m'), { patterns: [], zone: undefined });
    assert.deepEqual(nodeCronPatterns('TZ=Asia/Tokyo 0 9 * * ?'), {
      patterns: ['0 9 * * *'],
      zone: 'Asia/Tokyo',
    });
  });

  it('writes a step from a start as its values, which node-cron reads, and arms nothing for a bad schedule', () => {
    const { patterns } = nodeCronPatterns('5/20 9 * * ?');
    assert.deepEqual(patterns, ['5,25,45 9 * * *']);
    for (const pattern of patterns) assert.ok(cron.validate(pattern));
    assert.deepEqual(nodeCronPatterns('61 * * * *'), { patterns: [], zone: undefined });
  });

  it("arms one node-cron task per pattern in the CronJob's zone, re-arms on change and drops them on removal", async () => {
    const ours = () => [...cron.getTasks().values()].filter((task) => task.name === 'cronjob default/report');
    const trigger = new NodeCronTrigger(() => {});
    trigger.set('default/report', '0 0 13 * 5', 'Europe/Berlin');
    trigger.set('default/report', '0 0 13 * 5', 'Europe/Berlin');
    assert.deepEqual(
      ours().map((task) => task.getPattern()),
      ['0 0 13 * *', '0 0 * * 5'],
    );
    trigger.set('default/report', '@hourly', 'Europe/Berlin');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      ours().map((task) => task.getPattern()),
      ['0 * * * *'],
    );
    trigger.stop();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ours(), []);
  });
});
