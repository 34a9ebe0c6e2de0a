import assert from 'node:assert/strict';
import { validateCreate, validateUpdate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import { aConfigMap, aSecret, defaulted, summarize } from '../../helpers/builders.js';

const keyRule =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe('ConfigMap validation', () => {
  it('accepts a valid config map', () => {
    assert.deepEqual(validateCreate(validationOf('ConfigMap'), aConfigMap()), []);
  });

  it('checks data keys and names the key in the field path', () => {
    const cm = aConfigMap();
    cm.data = { 'bad key': 'x', '..hidden': 'y' };
    assert.deepEqual(summarize(validateCreate(validationOf('ConfigMap'), cm)), [
      `data[bad key]: Invalid value: "bad key": ${keyRule}`,
      `data[..hidden]: Invalid value: "..hidden": must not start with '..'`,
    ]);
  });

  it('refuses a key in both data and binaryData', () => {
    const cm = aConfigMap();
    cm.binaryData = { 'app.conf': 'AAEC' };
    assert.deepEqual(summarize(validateCreate(validationOf('ConfigMap'), cm)), [
      'data[app.conf]: Invalid value: "app.conf": duplicate of key present in binaryData',
      'binaryData[app.conf]: Invalid value: "app.conf": duplicate of key present in data',
    ]);
  });

  it('limits the total size to 1 MiB', () => {
    const cm = aConfigMap();
    cm.data = { a: 'x'.repeat(600 * 1024), b: 'y'.repeat(600 * 1024) };
    assert.deepEqual(summarize(validateCreate(validationOf('ConfigMap'), cm)), [
      ': Too long: may not be more than 1048576 bytes',
    ]);
  });

  it('refuses data changes once immutable', () => {
    const old = aConfigMap();
    old.immutable = true;
    const next = structuredClone(old);
    next.data = { 'app.conf': 'debug=true' };
    assert.deepEqual(summarize(validateUpdate(validationOf('ConfigMap'), next, old)), [
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
    const unlocked = structuredClone(old);
    unlocked.immutable = false;
    assert.deepEqual(summarize(validateUpdate(validationOf('ConfigMap'), unlocked, old)), [
      'immutable: Forbidden: field is immutable when `immutable` is set',
    ]);
  });
});

describe('Secret validation', () => {
  it('accepts a valid secret and defaults its type to Opaque', () => {
    const secret = defaulted('Secret', aSecret());
    assert.equal(secret.type, 'Opaque');
    assert.deepEqual(validateCreate(validationOf('Secret'), secret), []);
  });

  it('requires base64 values without echoing them', () => {
    const secret = aSecret();
    secret.data = { password: 'not base64!' };
    assert.deepEqual(summarize(validateCreate(validationOf('Secret'), secret)), [
      'data[password]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3',
    ]);
  });

  it('checks keys like a config map', () => {
    const secret = aSecret();
    secret.data = { 'a/b': 'eA==' };
    assert.deepEqual(summarize(validateCreate(validationOf('Secret'), secret)), [
      `data[a/b]: Invalid value: "a/b": ${keyRule}`,
    ]);
  });

  it('requires the keys of a TLS secret', () => {
    const secret = aSecret();
    secret.type = 'kubernetes.io/tls';
    secret.data = { 'tls.crt': 'eA==' };
    assert.deepEqual(summarize(validateCreate(validationOf('Secret'), secret)), [
      'data[tls.key]: Required value',
    ]);
  });

  it('keeps the type immutable', () => {
    const old = defaulted('Secret', aSecret());
    const next = structuredClone(old);
    next.type = 'kubernetes.io/basic-auth';
    assert.deepEqual(summarize(validateUpdate(validationOf('Secret'), next, old)), [
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
    ]);
  });

  it('refuses data changes once immutable', () => {
    const old = aSecret();
    old.immutable = true;
    const next = structuredClone(old);
    next.data = { password: 'c2VjcmV0' };
    assert.deepEqual(summarize(validateUpdate(validationOf('Secret'), next, old)), [
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });
});
