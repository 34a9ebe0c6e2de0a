import assert from 'node:assert/strict';
import { validateCreate, validateUpdate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import { aJob, defaulted, summarize, type TestObject } from '../../helpers/builders.js';

function jobErrors(change: (job: TestObject) => void): string[] {
  const job = aJob();
  change(job);
  return summarize(validateCreate(validationOf('Job'), defaulted('Job', job)));
}

describe('Job defaulting', () => {
  it('defaults counts, mode and suspension', () => {
    const job = defaulted('Job', aJob());
    assert.equal(job.spec.parallelism, 1);
    assert.equal(job.spec.completions, 1);
    assert.equal(job.spec.backoffLimit, 6);
    assert.equal(job.spec.completionMode, 'NonIndexed');
    assert.equal(job.spec.suspend, false);
  });

  it('leaves completions unset when only parallelism is given', () => {
    const job = aJob();
    job.spec.parallelism = 3;
    defaulted('Job', job);
    assert.equal(job.spec.completions, undefined);
  });

  it('generates the selector and template labels from the uid', () => {
    const job = defaulted('Job', aJob());
    assert.deepEqual(job.spec.selector, {
      matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid-1' },
    });
    assert.deepEqual(job.spec.template.metadata.labels, {
      app: 'backup',
      'job-name': 'backup',
      'batch.kubernetes.io/job-name': 'backup',
      'controller-uid': 'job-uid-1',
      'batch.kubernetes.io/controller-uid': 'job-uid-1',
    });
  });

  it('leaves a manual selector alone', () => {
    const job = aJob();
    job.spec.manualSelector = true;
    job.spec.selector = { matchLabels: { app: 'backup' } };
    defaulted('Job', job);
    assert.deepEqual(job.spec.selector, { matchLabels: { app: 'backup' } });
    assert.deepEqual(validateCreate(validationOf('Job'), job), []);
  });
});

describe('Job validation', () => {
  it('accepts a defaulted job', () => {
    assert.deepEqual(
      jobErrors(() => {}),
      [],
    );
  });

  it('requires restartPolicy OnFailure or Never', () => {
    assert.deepEqual(
      jobErrors((j) => {
        delete j.spec.template.spec.restartPolicy;
      }),
      ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    );
  });

  it('requires non-negative counts', () => {
    assert.deepEqual(
      jobErrors((j) => {
        j.spec.parallelism = -1;
        j.spec.completions = -2;
        j.spec.backoffLimit = -3;
      }),
      [
        'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
        'spec.completions: Invalid value: -2: must be greater than or equal to 0',
        'spec.backoffLimit: Invalid value: -3: must be greater than or equal to 0',
      ],
    );
  });

  it('requires a manual selector to match the template', () => {
    assert.deepEqual(
      jobErrors((j) => {
        j.spec.manualSelector = true;
        j.spec.selector = { matchLabels: { app: 'other' } };
      }),
      [
        'spec.template.metadata.labels: Invalid value: {"app":"backup"}: `selector` does not match template `labels`',
      ],
    );
  });

  it('rejects generated labels that were overridden', () => {
    const errors = jobErrors((j) => {
      j.spec.template.metadata.labels['controller-uid'] = 'someone-else';
    });
    assert.equal(errors.length, 1);
    assert.match(
      errors[0] ?? '',
      /^spec\.template\.metadata\.labels\[controller-uid\]: Invalid value: .*: must be 'job-uid-1'$/,
    );
  });

  it('keeps the template immutable on update', () => {
    const old = defaulted('Job', aJob());
    const next = structuredClone(old);
    next.spec.template.spec.containers[0].image = 'busybox:1.36';
    const errors = validateUpdate(validationOf('Job'), next, old);
    assert.deepEqual(
      errors.map((e) => e.field),
      ['spec.template'],
    );
    assert.match(errors[0]?.message ?? '', /: field is immutable$/);
  });
});
