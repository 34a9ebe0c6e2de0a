import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { ContainerConfigError, resolveEnv } from '../../../edge-agent/pods/container-env.js';
import { expandVars } from '../../../edge-agent/pods/expand-vars.js';
import type { Container } from '../../../edge-agent/pods/pod-spec.js';
import { aConfigMap, aContainer, aPod, aSecret } from './pod-builders.js';

describe('$(VAR) expansion', () => {
  const vars = new Map([
    ['A', 'a'],
    ['EMPTY', ''],
  ]);
  const lookup = (name: string) => vars.get(name);
  const table: [input: string, expected: string][] = [
    ['$(A)', 'a'],
    ['x$(A)y$(A)', 'xaya'],
    ['$(EMPTY)', ''],
    ['$(MISSING)', '$(MISSING)'],
    ['$$(A)', '$(A)'],
    ['$$', '$'],
    ['$A', '$A'],
    ['cost: 5$', 'cost: 5$'],
    ['$(A', '$(A'],
    ['$()', '$()'],
    ['$$$(A)', '$a'],
  ];
  for (const [input, expected] of table) {
    it(`expands '${input}' to '${expected}'`, () => {
      assert.equal(expandVars(input, lookup), expected);
    });
  }
});

describe('resolveEnv', () => {
  const pod = aPod('web', { serviceAccountName: 'default' });
  pod.metadata.labels = { app: 'web', tier: 'front' };
  pod.metadata.annotations = { note: 'hi' };
  const objects: KubeObject[] = [
    aConfigMap('settings', { MODE: 'edge', LEVEL: 'debug', 'bad key': 'x' }),
    aSecret('creds', { password: 's3cret', token: 't0k' }),
  ];
  const ctx = {
    pod,
    nodeName: 'gw1',
    podIP: '10.88.0.7',
    hostIP: '172.31.0.11',
    configMap: (ns: string, name: string) =>
      objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name && o.metadata.namespace === ns),
    secret: (ns: string, name: string) =>
      objects.find((o) => o.kind === 'Secret' && o.metadata.name === name && o.metadata.namespace === ns),
    nodeCapacity: { cpu: 4, memory: 8 * 2 ** 30 },
  };
  const resolve = (container: Partial<Container>) =>
    Object.fromEntries(resolveEnv(aContainer('app', container), ctx).map(({ key, value }) => [key, value]));

  it('reads values, config map and secret keys (decoded) and expands $(VAR) against earlier variables', () => {
    const env = resolve({
      env: [
        { name: 'GREETING', value: 'hello' },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MODE' } } },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
        { name: 'MESSAGE', value: '$(GREETING) from $(MODE), $(LATER) $$(GREETING)' },
        { name: 'LATER', value: 'later' },
      ],
    });
    assert.deepEqual(env, {
      GREETING: 'hello',
      MODE: 'edge',
      PASSWORD: 's3cret',
      MESSAGE: 'hello from edge, $(LATER) $(GREETING)',
      LATER: 'later',
    });
  });

  it('reads pod fields through fieldRef', () => {
    const field = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    const env = resolve({
      env: [
        field('NAME', 'metadata.name'),
        field('NS', 'metadata.namespace'),
        field('UID', 'metadata.uid'),
        field('POD_IP', 'status.podIP'),
        field('NODE', 'spec.nodeName'),
        field('HOST_IP', 'status.hostIP'),
        field('TIER', "metadata.labels['tier']"),
        field('NOTE', "metadata.annotations['note']"),
        field('SA', 'spec.serviceAccountName'),
      ],
    });
    assert.deepEqual(env, {
      NAME: 'web',
      NS: 'default',
      UID: 'uid-web',
      POD_IP: '10.88.0.7',
      NODE: 'gw1',
      HOST_IP: '172.31.0.11',
      TIER: 'front',
      NOTE: 'hi',
      SA: 'default',
    });
  });

  it('reads container resources through resourceFieldRef, rounding up by the divisor', () => {
    const ref = (name: string, resource: string, divisor?: string) => ({
      name,
      valueFrom: { resourceFieldRef: { resource, ...(divisor ? { divisor } : {}) } },
    });
    const env = resolve({
      resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { memory: '32Mi' } },
      env: [
        ref('CPU_LIMIT', 'limits.cpu'),
        ref('CPU_MILLIS', 'limits.cpu', '1m'),
        ref('MEM_LIMIT_MI', 'limits.memory', '1Mi'),
        ref('MEM_REQUEST', 'requests.memory'),
        ref('CPU_REQUEST_MILLIS', 'requests.cpu', '1m'),
      ],
    });
    assert.deepEqual(env, {
      CPU_LIMIT: '1',
      CPU_MILLIS: '250',
      MEM_LIMIT_MI: '64',
      MEM_REQUEST: String(32 * 2 ** 20),
      CPU_REQUEST_MILLIS: '250',
    });
    assert.deepEqual(resolve({ env: [ref('NODE_CPUS', 'limits.cpu')] }), { NODE_CPUS: '4' });
  });

  it('imports envFrom sources with their prefix, skipping invalid names; env entries override them', () => {
    const env = resolve({
      envFrom: [{ configMapRef: { name: 'settings' } }, { prefix: 'DB_', secretRef: { name: 'creds' } }],
      env: [{ name: 'LEVEL', value: 'info' }],
    });
    assert.deepEqual(env, { MODE: 'edge', LEVEL: 'info', DB_password: 's3cret', DB_token: 't0k' });
  });

  it("fails with kubelet's messages for missing sources and keys, unless they are optional", () => {
    const fails = (container: Partial<Container>, message: string) =>
      assert.throws(
        () => resolve(container),
        (error: unknown) => {
          assert.ok(error instanceof ContainerConfigError);
          assert.equal(error.message, message);
          return true;
        },
      );
    fails(
      { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] },
      'configmap "nope" not found',
    );
    fails(
      { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } }] },
      "couldn't find key k in ConfigMap default/settings",
    );
    fails(
      { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }] },
      "couldn't find key k in Secret default/creds",
    );
    fails({ envFrom: [{ secretRef: { name: 'nope' } }] }, 'secret "nope" not found');
    assert.deepEqual(
      resolve({
        env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } }],
        envFrom: [{ secretRef: { name: 'nope', optional: true } }],
      }),
      {},
    );
  });
});
