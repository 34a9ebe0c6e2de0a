import assert from 'node:assert/strict';
import { type CronSchedule, parseCronSchedule } from '../../../api/validation/cron-schedule.js';

const valid = (schedule: string) => parseCronSchedule(schedule) as CronSchedule;

const fieldsOf = (schedule: string) => {
  const parsed = parseCronSchedule(schedule);
  assert.ok(!('error' in parsed) && parsed.fields, JSON.stringify(parsed));
  return parsed.fields.map((f) => ({ values: [...f.values].sort((a, b) => a - b), star: f.star }));
};

describe('parseCronSchedule, the one reading of a schedule', () => {
  it('expands lists, ranges, steps from a start, and names, field by field', () => {
    const [minute, hour, day, month, weekday] = fieldsOf('5/20 6-16/4 1,15 jan-mar mon-fri');
    assert.deepEqual(minute!.values, [5, 25, 45]);
    assert.deepEqual(hour!.values, [6, 10, 14]);
    assert.deepEqual(day!.values, [1, 15]);
    assert.deepEqual(month!.values, [1, 2, 3]);
    assert.deepEqual(weekday!.values, [1, 2, 3, 4, 5]);
  });

  it('leaves a field open only for a plain * or ?, not for a step over it', () => {
    assert.deepEqual(
      fieldsOf('*/15 * ? * */2').map((f) => f.star),
      [false, true, true, true, false],
    );
    assert.deepEqual(fieldsOf('0 0 */1 * *')[2]!.star, true);
  });

  it('spells descriptors out, reads @every to whole seconds and the TZ= prefixes', () => {
    assert.deepEqual(parseCronSchedule('@weekly'), {
      zone: undefined,
      texts: ['0', '0', '*', '*', '0'],
      fields: valid('0 0 * * 0').fields,
    });
    assert.deepEqual(parseCronSchedule('@every 1h30m'), { zone: undefined, everyMs: 5_400_000 });
    assert.deepEqual(parseCronSchedule('@every 1500ms'), { zone: undefined, everyMs: 1000 });
    assert.deepEqual(parseCronSchedule('@every 10ms'), { zone: undefined, everyMs: 1000 });
    assert.equal(valid('TZ=Asia/Tokyo 0 9 * * *').zone, 'Asia/Tokyo');
    assert.equal(valid('CRON_TZ=Europe/Berlin @daily').zone, 'Europe/Berlin');
  });

  it("gives robfig/cron's message for what kube refuses, whatever the text", () => {
    assert.deepEqual(parseCronSchedule('constructor'), {
      error: 'expected exactly 5 fields, found 1: [constructor]',
    });
    assert.deepEqual(parseCronSchedule('@toString'), { error: 'unrecognized descriptor: @toString' });
    assert.deepEqual(parseCronSchedule('TZ=UTC'), { error: 'missing spec after timezone' });
    assert.deepEqual(parseCronSchedule('0 0 * * 7'), { error: 'end of range (7) above maximum (6): 7' });
  });
});
