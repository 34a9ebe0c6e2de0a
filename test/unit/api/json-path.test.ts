import assert from 'node:assert/strict';
import { evaluateJsonPath, jsonPathError, parseJsonPath } from '../../../api/json-path.js';

const crontab = {
  metadata: { name: 'nightly', labels: { app: 'cron', 'app.kubernetes.io/name': 'crontab' } },
  spec: {
    replicas: 3,
    containers: [
      { name: 'main', image: 'cron:1.0', port: 80 },
      { name: 'sidecar', image: 'proxy:2.1', port: 8080 },
    ],
    note: null,
  },
  status: {
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'Scheduled', status: 'False', reason: 'Waiting' },
    ],
  },
};

function select(path: string, value: unknown = crontab): unknown[] {
  return evaluateJsonPath(parseJsonPath(path), value);
}

describe('JSONPath', () => {
  it('reads a field', () => {
    assert.deepEqual(select('.spec.replicas'), [3]);
    assert.deepEqual(select('.metadata.labels.app'), ['cron']);
  });

  it('accepts the braces and the $ kubectl allows', () => {
    assert.deepEqual(select('{.spec.replicas}'), [3]);
    assert.deepEqual(select(' { $.spec.replicas } '), [3]);
  });

  it('reads keys with dots in quoted brackets or with escaped dots', () => {
    assert.deepEqual(select(".metadata.labels['app.kubernetes.io/name']"), ['crontab']);
    assert.deepEqual(select('.metadata.labels["app.kubernetes.io/name"]'), ['crontab']);
    assert.deepEqual(select('.metadata.labels.app\\.kubernetes\\.io/name'), ['crontab']);
  });

  it('indexes arrays, from the end with negative indexes', () => {
    assert.deepEqual(select('.spec.containers[0].image'), ['cron:1.0']);
    assert.deepEqual(select('.spec.containers[-1].image'), ['proxy:2.1']);
    assert.deepEqual(select('.spec.containers[2].image'), []);
    assert.deepEqual(select('.spec.containers[-3].image'), []);
  });

  it('expands [*] over array items and object values', () => {
    assert.deepEqual(select('.spec.containers[*].name'), ['main', 'sidecar']);
    assert.deepEqual(select('.metadata.labels[*]'), ['cron', 'crontab']);
    assert.deepEqual(select('.metadata.labels.*'), ['cron', 'crontab']);
  });

  it('filters array items by equality, inequality and existence', () => {
    assert.deepEqual(select('.status.conditions[?(@.type=="Ready")].status'), ['True']);
    assert.deepEqual(select(".status.conditions[?(@.type != 'Ready')].type"), ['Scheduled']);
    assert.deepEqual(select('.status.conditions[?(@.reason)].reason'), ['Waiting']);
    assert.deepEqual(select('.spec.containers[?(@.port == 8080)].name'), ['sidecar']);
    assert.deepEqual(select('.spec.containers[?(@.port == "8080")].name'), []);
  });

  it('selects nothing for absent and null fields', () => {
    assert.deepEqual(select('.spec.missing.deeper'), []);
    assert.deepEqual(select('.spec.note'), []);
    assert.deepEqual(select('.spec.replicas.deeper'), []);
  });

  it('takes "." as the whole object', () => {
    assert.deepEqual(select('.'), [crontab]);
  });

  it('never throws while evaluating, whatever the value', () => {
    const path = parseJsonPath('.a[*][0][?(@.b == 1)].c');
    for (const value of [null, undefined, 3, 'text', [], [[null]], { a: 'x' }, { a: [[{ b: 1, c: 2 }]] }]) {
      assert.ok(Array.isArray(evaluateJsonPath(path, value)));
    }
    assert.deepEqual(evaluateJsonPath(path, { a: [[[{ b: 1, c: 2 }]]] }), [2]);
  });

  it('says why a path does not parse', () => {
    const cases: Array<[string, string]> = [
      ['', 'the path is empty'],
      ['spec.replicas', 'a path must start with ".", "[" or "$" (at character 1)'],
      ['.spec..name', 'recursive descent ("..") is not supported (at character 6)'],
      ['.spec.containers[0:2]', 'slices are not supported (at character 18)'],
      ['.spec.containers[0,1]', 'unions are not supported (at character 18)'],
      [
        '.spec.containers[name]',
        `"name" is not an array index (quote field names: ['name']) (at character 18)`,
      ],
      ['.spec.containers[0', 'missing closing "]" (at character 18)'],
      [".metadata.labels['app", "missing closing ' (at character 22)"],
      ['.items[?(@.port > 80)]', 'only ==, != and existence filters are supported (at character 17)'],
      ['.items[?(@.port == )]', 'expected a string or number literal (at character 20)'],
      ['{.spec.x', 'missing closing "}" (at character 1)'],
      ['{.a}{.b}', 'only one {} expression is supported (at character 4)'],
      ['.spec.', 'expected a field name after "." (at character 7)'],
    ];
    for (const [text, why] of cases) assert.equal(jsonPathError(text), why, text);
    assert.equal(jsonPathError('.status.conditions[?(@.type=="Ready")].status'), undefined);
  });

  it('throws an Error with that reason from parseJsonPath', () => {
    assert.throws(() => parseJsonPath('.a..b'), {
      message: 'recursive descent ("..") is not supported (at character 3)',
    });
  });
});
