// ServiceAccounts with the real kubectl and @kubernetes/client-node against the real `flotilla
// hub`: `kubectl create serviceaccount`, `kubectl create token` (plain and bound to a pod), the
// token used with `--token`, refused until a RoleBinding names the ServiceAccount, then allowed
// what the role grants in that namespace only; 401 once the bound pod is gone.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl, kubectlOf } from '../helpers/kubectl.js';

const podAsBot = `apiVersion: v1
kind: Pod
metadata:
  name: bound
  namespace: line-1
spec:
  serviceAccountName: bot
  nodeName: gw-absent
  containers:
  - name: app
    image: busybox
`;

function claimsOf(token: string): any {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

describe('kubectl and client-node with ServiceAccount tokens against the hub', function () {
  this.timeout(90_000);
  let hub: HubProcess;
  let admin: Kubectl;

  before(async () => {
    hub = await startHubProcess();
    admin = new Kubectl(hub.kubeconfig);
    await admin.ok(['create', 'namespace', 'line-1']);
    await admin.ok(['create', 'namespace', 'line-2']);
  });
  after(async () => {
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it('creates a ServiceAccount beside the default one every namespace gets', async () => {
    assert.equal(
      (await admin.ok(['create', 'serviceaccount', 'bot', '-n', 'line-1'])).trim(),
      'serviceaccount/bot created',
    );
    const names = (await eventually(async () => {
      const out = await admin.ok(['get', 'sa', '-n', 'line-1', '-o', 'name']);
      return out.includes('serviceaccount/default') ? out : false;
    })) as string;
    assert.deepEqual(names.trim().split('\n').sort(), ['serviceaccount/bot', 'serviceaccount/default']);
    const table = await admin.ok(['get', 'serviceaccounts', '-n', 'line-1']);
    assert.match(table, /^NAME\s+SECRETS\s+AGE/);
    const cm = await admin.ok([
      'get',
      'configmap',
      'kube-root-ca.crt',
      '-n',
      'line-2',
      '-o',
      'jsonpath={.data.ca\\.crt}',
    ]);
    assert.match(cm, /^-----BEGIN CERTIFICATE-----/);
  });

  it('issues a token with kubectl create token that is refused until a RoleBinding names the ServiceAccount', async () => {
    const token = (await admin.ok(['create', 'token', 'bot', '-n', 'line-1', '--duration', '20m'])).trim();
    const claims = claimsOf(token);
    assert.equal(claims.sub, 'system:serviceaccount:line-1:bot');
    assert.equal(claims.exp - claims.iat, 1200);
    const whoami = await admin.ok([
      '--token',
      token,
      'auth',
      'whoami',
      '-o',
      'jsonpath={.status.userInfo.username}',
    ]);
    assert.equal(whoami, 'system:serviceaccount:line-1:bot');
    const refused = await admin.run(['--token', token, 'get', 'pods', '-n', 'line-1']);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr.trim(),
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:line-1:bot" cannot list resource "pods" in API group "" in the namespace "line-1"',
    );
    await admin.ok([
      'create',
      'rolebinding',
      'bot-view',
      '--clusterrole=view',
      '--serviceaccount=line-1:bot',
      '-n',
      'line-1',
    ]);
    await eventually(
      async () => (await admin.run(['--token', token, 'get', 'pods', '-n', 'line-1'])).code === 0,
    );
    const elsewhere = await admin.run(['--token', token, 'get', 'pods', '-n', 'line-2']);
    assert.match(elsewhere.stderr, /cannot list resource "pods" in API group "" in the namespace "line-2"/);
    const write = await admin.run(['--token', token, 'create', 'configmap', 'x', '-n', 'line-1']);
    assert.match(write.stderr, /cannot create resource "configmaps"/);
  });

  it('binds a token to a pod; once the pod is deleted the token is refused', async () => {
    await admin.ok(['apply', '-f', '-'], podAsBot);
    const token = (
      await admin.ok([
        'create',
        'token',
        'bot',
        '-n',
        'line-1',
        '--bound-object-kind',
        'Pod',
        '--bound-object-name',
        'bound',
      ])
    ).trim();
    const uid = await admin.ok(['get', 'pod', 'bound', '-n', 'line-1', '-o', 'jsonpath={.metadata.uid}']);
    assert.deepEqual(claimsOf(token)['kubernetes.io'].pod, { name: 'bound', uid });
    await eventually(
      async () => (await admin.run(['--token', token, 'get', 'pods', '-n', 'line-1'])).code === 0,
    );
    await admin.ok(['delete', 'pod', 'bound', '-n', 'line-1', '--force', '--grace-period=0']);
    const gone = (await eventually(async () => {
      const res = await admin.run(['--token', token, 'get', 'pods', '-n', 'line-1']);
      return res.code !== 0 ? res : false;
    })) as { stderr: string };
    assert.match(gone.stderr, /Unauthorized/);
  });

  it('works with kubectl 1.27 too', async function () {
    const old = kubectlOf(27);
    if (!old) this.skip();
    const token = (
      await new Kubectl(hub.kubeconfig, old).ok(['create', 'token', 'bot', '-n', 'line-1'])
    ).trim();
    assert.equal(claimsOf(token).sub, 'system:serviceaccount:line-1:bot');
  });

  it('lets @kubernetes/client-node use a ServiceAccount token', async () => {
    const token = (await admin.ok(['create', 'token', 'bot', '-n', 'line-1'])).trim();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(hub.kubeconfig);
    const cluster = kc.getCurrentCluster()!;
    const asBot = new k8s.KubeConfig();
    asBot.loadFromOptions({
      clusters: [cluster],
      users: [{ name: 'bot', token }],
      contexts: [{ name: 'bot', cluster: cluster.name, user: 'bot' }],
      currentContext: 'bot',
    });
    const core = asBot.makeApiClient(k8s.CoreV1Api);
    const sas = await core.listNamespacedServiceAccount({ namespace: 'line-1' });
    assert.deepEqual(sas.items.map((sa) => sa.metadata?.name).sort(), ['bot', 'default']);
    await assert.rejects(core.listNamespacedPod({ namespace: 'line-2' }), (err: any) => err.code === 403);
  });
});
