import assert from 'node:assert/strict';
import { ApiError } from '../../../api/errors.js';
import {
  labelSelectorMatcher,
  parseLabelRequirements,
  parseLabelSelector,
  validateLabelKey,
  validateLabelValue,
} from '../../../api/label-selector.js';

const web = { app: 'web', tier: 'frontend', 'app.kubernetes.io/name': 'shop' };

function assertBadRequest(run: () => unknown, message: string | RegExp): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.reason, 'BadRequest');
    assert.equal(err.code, 400);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('parseLabelSelector', () => {
  it('selects everything when the selector is empty or blank', () => {
    assert.equal(parseLabelSelector('')(undefined), true);
    assert.equal(parseLabelSelector('   ')(web), true);
  });

  it('matches equality with =, == and inequality with !=', () => {
    assert.equal(parseLabelSelector('app=web')(web), true);
    assert.equal(parseLabelSelector('app==web')(web), true);
    assert.equal(parseLabelSelector('app=db')(web), false);
    assert.equal(parseLabelSelector('app!=db')(web), true);
    assert.equal(parseLabelSelector('app!=web')(web), false);
  });

  it('treats != as satisfied by an object without the label', () => {
    assert.equal(parseLabelSelector('zone!=a')(web), true);
    assert.equal(parseLabelSelector('zone!=a')(undefined), true);
  });

  it('ANDs comma-separated requirements and tolerates whitespace', () => {
    assert.equal(parseLabelSelector(' app = web , tier in ( frontend , backend ) ')(web), true);
    assert.equal(parseLabelSelector('app=web,tier=backend')(web), false);
  });

  it('matches the set-based operators in, notin, exists and !exists', () => {
    assert.equal(parseLabelSelector('app in (web,db)')(web), true);
    assert.equal(parseLabelSelector('app in (db)')(web), false);
    assert.equal(parseLabelSelector('app notin (db)')(web), true);
    assert.equal(parseLabelSelector('zone notin (a)')(web), true);
    assert.equal(parseLabelSelector('app notin (web)')(web), false);
    assert.equal(parseLabelSelector('tier')(web), true);
    assert.equal(parseLabelSelector('zone')(web), false);
    assert.equal(parseLabelSelector('!zone')(web), true);
    assert.equal(parseLabelSelector('!app')(web), false);
  });

  it('accepts prefixed keys', () => {
    assert.equal(parseLabelSelector('app.kubernetes.io/name=shop')(web), true);
  });

  it('selects an empty value with a trailing =', () => {
    assert.equal(parseLabelSelector('flag=')({ flag: '' }), true);
    assert.equal(parseLabelSelector('flag=')({ flag: 'x' }), false);
  });

  it('compares integers with > and <, never matching non-integer values', () => {
    assert.equal(parseLabelSelector('gen>3')({ gen: '10' }), true);
    assert.equal(parseLabelSelector('gen<3')({ gen: '10' }), false);
    assert.equal(parseLabelSelector('gen>3')({ gen: 'x' }), false);
  });

  it('exposes the parsed requirements with normalised operators', () => {
    assert.deepEqual(parseLabelRequirements('a=b,c!=d,e in (f,f,g),!h,i'), [
      { key: 'a', operator: 'In', values: ['b'] },
      { key: 'c', operator: 'NotIn', values: ['d'] },
      { key: 'e', operator: 'In', values: ['f', 'g'] },
      { key: 'h', operator: 'DoesNotExist', values: [] },
      { key: 'i', operator: 'Exists', values: [] },
    ]);
  });

  it('rejects a missing operator between key and value', () => {
    assertBadRequest(
      () => parseLabelSelector('app web'),
      "unable to parse requirement: found 'web', expected: '=', '!=', '==', 'in', 'notin'",
    );
  });

  it('rejects an empty value set', () => {
    assertBadRequest(
      () => parseLabelSelector('app in ()'),
      "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty",
    );
  });

  it('rejects an unterminated value set', () => {
    assertBadRequest(
      () => parseLabelSelector('app in (a,b'),
      "unable to parse requirement: found '', expected: ',' or ')'",
    );
  });

  it('rejects a dangling comma and a dangling !', () => {
    assertBadRequest(
      () => parseLabelSelector('app=web,'),
      "unable to parse requirement: found '', expected: label key",
    );
    assertBadRequest(
      () => parseLabelSelector('!'),
      "unable to parse requirement: found '', expected: after '!'",
    );
  });

  it('rejects trailing garbage after a requirement', () => {
    assertBadRequest(
      () => parseLabelSelector('a=b=c'),
      "unable to parse requirement: found '=', expected: ',' or end of string",
    );
  });

  it('rejects invalid keys and values, naming the offender', () => {
    assertBadRequest(
      () => parseLabelSelector('-app=web'),
      /^unable to parse requirement: invalid label key "-app": name part must consist/,
    );
    assertBadRequest(
      () => parseLabelSelector('Example.com/app=web'),
      /invalid label key "Example.com\/app": prefix part must be a lowercase RFC 1123 subdomain/,
    );
    assertBadRequest(
      () => parseLabelSelector(`app=${'v'.repeat(64)}`),
      /invalid label value "v{64}": must be no more than 63 characters/,
    );
    assertBadRequest(
      () => parseLabelSelector('app in (a,-b)'),
      /invalid label value "-b": a valid label value must be empty or consist/,
    );
  });

  it('rejects a non-integer bound for > and <', () => {
    assertBadRequest(
      () => parseLabelSelector('gen>x'),
      `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer, got "x"`,
    );
  });
});

describe('labelSelectorMatcher', () => {
  it('combines matchLabels and matchExpressions', () => {
    const matches = labelSelectorMatcher({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend'] },
        { key: 'zone', operator: 'DoesNotExist' },
        { key: 'app.kubernetes.io/name', operator: 'Exists' },
        { key: 'track', operator: 'NotIn', values: ['canary'] },
      ],
    });
    assert.equal(matches(web), true);
    assert.equal(matches({ ...web, zone: 'a' }), false);
    assert.equal(matches(undefined), false);
  });

  it('selects everything when empty and nothing when absent', () => {
    assert.equal(labelSelectorMatcher({})(undefined), true);
    assert.equal(labelSelectorMatcher(undefined)(web), false);
  });

  it('rejects unknown operators and values on Exists', () => {
    assertBadRequest(
      () => labelSelectorMatcher({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] }),
      'unable to parse requirement: "Equals" is not a valid label selector operator',
    );
    assertBadRequest(
      () => labelSelectorMatcher({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b'] }] }),
      "unable to parse requirement: for 'exists', 'doesnotexist' operators, values set must be empty",
    );
  });

  it('validates matchLabels keys and values', () => {
    assertBadRequest(() => labelSelectorMatcher({ matchLabels: { 'a b': 'c' } }), /invalid label key "a b"/);
  });
});

describe('label key and value validation', () => {
  it('accepts keys with a DNS subdomain prefix and values that are empty', () => {
    assert.equal(validateLabelKey('kubernetes.io/hostname'), undefined);
    assert.equal(validateLabelKey('a_b.c-d'), undefined);
    assert.equal(validateLabelValue(''), undefined);
  });

  it('enforces the length limits of prefix and name', () => {
    assert.equal(validateLabelKey(`${'a'.repeat(254)}/x`), 'prefix part must be no more than 253 characters');
    assert.equal(validateLabelKey('x'.repeat(64)), 'name part must be no more than 63 characters');
    assert.equal(validateLabelKey('/x'), 'prefix part must be non-empty');
    assert.equal(validateLabelKey('a/'), 'name part must be non-empty');
  });
});
