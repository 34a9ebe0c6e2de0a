import assert from 'node:assert/strict';
import {
  disconnectPolicyOf,
  formatSeconds,
  parseDisconnectPolicy,
  parseDurationSeconds,
  replaceAfterSeconds,
} from '../../../api/disconnect-policy.js';
import { validateCreate, validateUpdate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import {
  aCronJob,
  aDaemonSet,
  aDeployment,
  aJob,
  aPod,
  aReplicaSet,
  defaulted,
  summarize,
  type TestObject,
} from '../../helpers/builders.js';

const key = 'flotilla.io/disconnect';

describe('flotilla.io/disconnect: parsing', () => {
  it('reads Go durations as whole seconds', () => {
    const cases: [string, number][] = [
      ['90s', 90],
      ['10m', 600],
      ['1h30m', 5400],
      ['1.5h', 5400],
      ['2h45m30s', 9930],
      ['1500ms', Number.NaN],
      ['2000ms', 2],
      ['0', 0],
    ];
    for (const [text, seconds] of cases) {
      const parsed = parseDurationSeconds(text);
      if (Number.isNaN(seconds)) assert.equal(parsed.ok, false, text);
      else assert.deepEqual(parsed, { ok: true, value: seconds }, text);
    }
  });

  it('names what is wrong with a duration', () => {
    assert.deepEqual(parseDurationSeconds('10x'), {
      ok: false,
      error: 'unknown unit "x" in duration "10x"',
    });
    assert.deepEqual(parseDurationSeconds('ten'), { ok: false, error: 'invalid duration "ten"' });
    assert.deepEqual(parseDurationSeconds('10'), { ok: false, error: 'invalid duration "10"' });
    assert.deepEqual(parseDurationSeconds(''), { ok: false, error: 'empty duration' });
    assert.deepEqual(parseDurationSeconds('-5m'), { ok: false, error: 'invalid duration "-5m"' });
  });

  it('parses keep, stop-after and replace-after', () => {
    assert.deepEqual(parseDisconnectPolicy('keep'), { ok: true, value: { action: 'keep' } });
    assert.deepEqual(parseDisconnectPolicy('stop-after=10m'), {
      ok: true,
      value: { action: 'stop-after', seconds: 600 },
    });
    assert.deepEqual(parseDisconnectPolicy('replace-after=1h30m'), {
      ok: true,
      value: { action: 'replace-after', seconds: 5400 },
    });
  });

  it('refuses unknown forms and durations out of range', () => {
    const errors = [
      'stop',
      'stop-after',
      'stop-after 10m',
      'Keep',
      'stop-after=0s',
      'replace-after=9000h',
    ].map((value) => {
      const parsed = parseDisconnectPolicy(value);
      return parsed.ok ? 'ok' : parsed.error;
    });
    const usage =
      'must be "keep", "stop-after=<duration>" or "replace-after=<duration>" (e.g. stop-after=10m)';
    assert.deepEqual(errors, [
      usage,
      usage,
      usage,
      usage,
      'stop-after: must be at least 1s',
      'replace-after: must be at most 8760h',
    ]);
  });

  it('reads a pod’s policy, keep when absent or unparsable', () => {
    assert.deepEqual(disconnectPolicyOf(undefined), { action: 'keep' });
    assert.deepEqual(disconnectPolicyOf({ [key]: 'garbage' }), { action: 'keep' });
    assert.deepEqual(disconnectPolicyOf({ [key]: 'stop-after=2s' }), { action: 'stop-after', seconds: 2 });
    assert.equal(replaceAfterSeconds({ [key]: 'replace-after=5m' }), 300);
    assert.equal(replaceAfterSeconds({ [key]: 'stop-after=5m' }), undefined);
  });

  it('prints seconds back as a Go duration', () => {
    assert.deepEqual([90, 3600, 5400, 5, 0].map(formatSeconds), ['1m30s', '1h', '1h30m', '5s', '0s']);
  });
});

describe('flotilla.io/disconnect: validation', () => {
  const errorsOf = (kind: string, obj: TestObject, annotations: Record<string, string>, at: string[]) => {
    let target: TestObject = obj;
    for (const step of at) target = target[step];
    target.annotations = { ...target.annotations, ...annotations };
    return summarize(validateCreate(validationOf(kind), defaulted(kind, obj)));
  };

  it('accepts good values on pods and in templates', () => {
    assert.deepEqual(errorsOf('Pod', aPod(), { [key]: 'stop-after=90s' }, ['metadata']), []);
    assert.deepEqual(
      errorsOf('Deployment', aDeployment(), { [key]: 'replace-after=10m' }, ['spec', 'template', 'metadata']),
      [],
    );
  });

  it('refuses a bad value on a pod, naming the annotation', () => {
    assert.deepEqual(errorsOf('Pod', aPod(), { [key]: 'stop-after=soon' }, ['metadata']), [
      'metadata.annotations[flotilla.io/disconnect]: Invalid value: "stop-after=soon": stop-after: invalid duration "soon"',
    ]);
  });

  it('refuses a bad value in the pod template of every workload kind', () => {
    const template = ['spec', 'template', 'metadata'];
    const jobTemplate = ['spec', 'jobTemplate', 'spec', 'template', 'metadata'];
    const found = [
      errorsOf('Deployment', aDeployment(), { [key]: 'later' }, template),
      errorsOf('ReplicaSet', aReplicaSet(), { [key]: 'later' }, template),
      errorsOf('DaemonSet', aDaemonSet(), { [key]: 'later' }, template),
      errorsOf('Job', aJob(), { [key]: 'later' }, template),
      errorsOf('CronJob', aCronJob(), { [key]: 'later' }, jobTemplate),
    ].map((errs) => errs.map((e) => e.slice(0, e.indexOf(':'))));
    assert.deepEqual(found, [
      ['spec.template.metadata.annotations[flotilla.io/disconnect]'],
      ['spec.template.metadata.annotations[flotilla.io/disconnect]'],
      ['spec.template.metadata.annotations[flotilla.io/disconnect]'],
      ['spec.template.metadata.annotations[flotilla.io/disconnect]'],
      ['spec.jobTemplate.spec.template.metadata.annotations[flotilla.io/disconnect]'],
    ]);
  });

  it('refuses replace-after for DaemonSets, whose pods have nowhere else to go', () => {
    assert.deepEqual(
      errorsOf('DaemonSet', aDaemonSet(), { [key]: 'replace-after=5m' }, ['spec', 'template', 'metadata']),
      [
        'spec.template.metadata.annotations[flotilla.io/disconnect]: Forbidden: a DaemonSet runs one pod on every gateway, so there is nowhere to replace it; use stop-after',
      ],
    );
    assert.deepEqual(
      errorsOf('DaemonSet', aDaemonSet(), { [key]: 'stop-after=5m' }, ['spec', 'template', 'metadata']),
      [],
    );
  });

  it('keeps a pod’s policy fixed once the pod exists', () => {
    const old = defaulted('Pod', aPod());
    old.metadata.annotations = { [key]: 'stop-after=1m' };
    const changed = structuredClone(old);
    changed.metadata.annotations = { [key]: 'keep' };
    assert.deepEqual(summarize(validateUpdate(validationOf('Pod'), changed, old)), [
      'metadata.annotations[flotilla.io/disconnect]: Invalid value: "keep": field is immutable',
    ]);
    const relabelled = structuredClone(old);
    relabelled.metadata.annotations = { [key]: 'stop-after=1m', note: 'x' };
    assert.deepEqual(summarize(validateUpdate(validationOf('Pod'), relabelled, old)), []);
  });
});
