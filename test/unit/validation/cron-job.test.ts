import assert from 'node:assert/strict';
import { cronScheduleError } from '../../../api/validation/cron-schedule.js';
import { validateCreate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import { aCronJob, defaulted, summarize, type TestObject } from '../../helpers/builders.js';

function cronErrors(change: (cj: TestObject) => void): string[] {
  const cj = aCronJob();
  change(cj);
  return summarize(validateCreate(validationOf('CronJob'), defaulted('CronJob', cj)));
}

describe('CronJob validation', () => {
  it('accepts a valid cron job', () => {
    assert.deepEqual(
      cronErrors(() => {}),
      [],
    );
  });

  it('is defaulted', () => {
    const cj = defaulted('CronJob', aCronJob());
    assert.equal(cj.spec.concurrencyPolicy, 'Allow');
    assert.equal(cj.spec.suspend, false);
    assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
    assert.equal(cj.spec.failedJobsHistoryLimit, 1);
    assert.equal(cj.spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds, 30);
  });

  it('requires a schedule', () => {
    assert.deepEqual(
      cronErrors((c) => {
        delete c.spec.schedule;
      }),
      ['spec.schedule: Required value'],
    );
  });

  it('rejects an invalid schedule', () => {
    assert.deepEqual(
      cronErrors((c) => {
        c.spec.schedule = '* * *';
      }),
      ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]'],
    );
    assert.deepEqual(
      cronErrors((c) => {
        c.spec.schedule = '0 25 * * *';
      }),
      ['spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25'],
    );
  });

  it('forbids TZ in the schedule', () => {
    assert.deepEqual(
      cronErrors((c) => {
        c.spec.schedule = 'CRON_TZ=UTC 0 1 * * *';
      }),
      [
        'spec.schedule: Invalid value: "CRON_TZ=UTC 0 1 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      ],
    );
  });

  it('validates timeZone against the IANA database', () => {
    assert.deepEqual(
      cronErrors((c) => {
        c.spec.timeZone = 'Europe/Berlin';
      }),
      [],
    );
    assert.deepEqual(
      cronErrors((c) => {
        c.spec.timeZone = 'UTC';
      }),
      [],
    );
    assert.deepEqual(
      cronErrors((c) => {
        c.spec.timeZone = 'Mars/Olympus';
      }),
      ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'],
    );
  });

  it('checks concurrencyPolicy and startingDeadlineSeconds', () => {
    assert.deepEqual(
      cronErrors((c) => {
        c.spec.concurrencyPolicy = 'Queue';
        c.spec.startingDeadlineSeconds = -10;
      }),
      [
        'spec.startingDeadlineSeconds: Invalid value: -10: must be greater than or equal to 0',
        'spec.concurrencyPolicy: Unsupported value: "Queue": supported values: "Allow", "Forbid", "Replace"',
      ],
    );
  });

  it('validates the job template', () => {
    assert.deepEqual(
      cronErrors((c) => {
        c.spec.jobTemplate.spec.template.spec.restartPolicy = 'Always';
      }),
      [
        'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
      ],
    );
    const [error] = cronErrors((c) => {
      c.spec.jobTemplate.spec.selector = { matchLabels: { a: 'b' } };
    });
    assert.match(
      error ?? '',
      /^spec\.jobTemplate\.spec\.selector: Invalid value: .*: `selector` will be auto-generated$/,
    );
  });

  it('limits names to 52 characters', () => {
    const cj = aCronJob('n'.repeat(53));
    assert.deepEqual(summarize(validateCreate(validationOf('CronJob'), defaulted('CronJob', cj))), [
      `metadata.name: Invalid value: "${'n'.repeat(53)}": must be no more than 52 characters`,
    ]);
  });
});

describe('cronScheduleError', () => {
  const valid = [
    '*/15 * * * *',
    '0 0 1,15 * MON-FRI',
    '30 2 * JAN-MAR sun',
    '@hourly',
    '@every 1h30m',
    '0 0 ? * *',
    '5/10 * * * *',
  ];
  for (const schedule of valid) {
    it(`accepts ${schedule}`, () => assert.equal(cronScheduleError(schedule), undefined));
  }
  const invalid: Array<[string, string]> = [
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
  ];
  for (const [schedule, message] of invalid) {
    it(`rejects ${schedule}`, () => assert.equal(cronScheduleError(schedule), message));
  }
});
