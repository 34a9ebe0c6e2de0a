// Several users against the real `flotilla hub` with the real kubectl: a user from
// `flotilla kubeconfig`, refused until an admin binds a role with `kubectl create rolebinding`,
// then allowed what the role grants in that namespace only; exec needs edit; `kubectl auth
// whoami`, `auth can-i [--list]`, `--as`; a Role granting more than its creator holds is refused.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { exited, type HubProcess, runFlotilla, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl, kubectlOf } from '../helpers/kubectl.js';

const podOnGateway = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: team-a
spec:
  nodeName: gw-1
  containers:
  - name: app
    image: nginx:1.27
`;

describe('kubectl with several users and RBAC against the hub', function () {
  this.timeout(120_000);
  let hub: HubProcess;
  let admin: Kubectl;
  let alice: Kubectl;

  before(async () => {
    hub = await startHubProcess();
    admin = new Kubectl(hub.kubeconfig);
    await admin.ok(['create', 'namespace', 'team-a']);
    await admin.ok(['create', 'namespace', 'team-b']);
    await admin.ok(['apply', '-f', '-'], podOnGateway);
    const out = join(hub.dataDir, 'alice.kubeconfig');
    const cli = runFlotilla([
      'kubeconfig',
      '--user',
      'alice',
      '--group',
      'plant-it',
      '--data-dir',
      hub.dataDir,
      '--out',
      out,
    ]);
    assert.equal(await exited(cli), 0);
    alice = new Kubectl(out);
  });
  after(async () => {
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it('refuses a new user everything in Kubernetes words until a role is bound', async () => {
    const res = await alice.run(['get', 'pods', '-n', 'team-a']);
    assert.equal(res.code, 1);
    assert.equal(
      res.stderr.trim(),
      'Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "team-a"',
    );
  });

  it('tells the user who they are', async () => {
    const whoami = await alice.ok(['auth', 'whoami', '-o', 'json']);
    assert.deepEqual(JSON.parse(whoami).status.userInfo, {
      username: 'alice',
      groups: ['plant-it', 'system:authenticated'],
    });
  });

  it('allows view in team-a only once bound there with kubectl create rolebinding', async () => {
    assert.equal(
      (
        await admin.ok([
          'create',
          'rolebinding',
          'alice-view',
          '--clusterrole=view',
          '--user=alice',
          '-n',
          'team-a',
        ])
      ).trim(),
      'rolebinding.rbac.authorization.k8s.io/alice-view created',
    );
    assert.match(await alice.ok(['get', 'pods', '-n', 'team-a']), /^NAME\s+READY\s+STATUS[\s\S]*\nweb\s/);
    const other = await alice.run(['get', 'pods', '-n', 'team-b']);
    assert.match(
      other.stderr,
      /User "alice" cannot list resource "pods" in API group "" in the namespace "team-b"/,
    );
    const write = await alice.run(['delete', 'pod', 'web', '-n', 'team-a']);
    assert.match(write.stderr, /pods "web" is forbidden: User "alice" cannot delete resource "pods"/);
    const bindings = await admin.ok(['get', 'rolebindings', '-n', 'team-a']);
    assert.match(bindings, /^NAME\s+ROLE\s+AGE\nalice-view\s+ClusterRole\/view\s/);
  });

  it('answers auth can-i and can-i --list', async () => {
    assert.equal((await alice.ok(['auth', 'can-i', 'list', 'pods', '-n', 'team-a'])).trim(), 'yes');
    const no = await alice.run(['auth', 'can-i', 'list', 'pods', '-n', 'team-b']);
    assert.equal(no.code, 1);
    assert.equal(no.stdout.trim(), 'no');
    assert.equal(
      (await alice.run(['auth', 'can-i', 'create', 'pods/exec', '-n', 'team-a'])).stdout.trim(),
      'no',
    );
    const list = await alice.ok(['auth', 'can-i', '--list', '-n', 'team-a']);
    assert.match(list, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
    assert.match(list, /\npods\s+\[\]\s+\[\]\s+\[get list watch\]/);
    assert.match(list, /selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
  });

  it('lets the admin act as the user with --as', async () => {
    const asAlice = await admin.run(['--as', 'alice', 'auth', 'can-i', 'list', 'pods', '-n', 'team-b']);
    assert.equal(asAlice.stdout.trim(), 'no');
    assert.match(await admin.ok(['--as', 'alice', 'get', 'pods', '-n', 'team-a']), /\nweb\s/);
    const refused = await alice.run(['--as', 'admin', 'get', 'nodes']);
    assert.match(
      refused.stderr,
      /users "admin" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope/,
    );
  });

  it('refuses exec to a viewer and lets an editor through to the gateway', async () => {
    const viewer = await alice.run(['exec', 'web', '-n', 'team-a', '--', 'ls']);
    assert.notEqual(viewer.code, 0);
    assert.match(
      viewer.stderr,
      /User "alice" cannot (get|create) resource "pods\/exec" in API group "" in the namespace "team-a"/,
    );
    await admin.ok([
      'create',
      'rolebinding',
      'alice-edit',
      '--clusterrole=edit',
      '--user=alice',
      '-n',
      'team-a',
    ]);
    const editor = await alice.run(['exec', 'web', '-n', 'team-a', '--', 'ls']);
    assert.notEqual(editor.code, 0);
    assert.doesNotMatch(editor.stderr, /forbidden/i);
    assert.match(editor.stderr, /gateway gw-1 has not connected to the hub/);
  });

  it('refuses a Role that grants more than its creator holds', async () => {
    await admin.ok([
      'create',
      'rolebinding',
      'alice-admin',
      '--clusterrole=admin',
      '--user=alice',
      '-n',
      'team-b',
    ]);
    assert.equal(
      (
        await alice.ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', 'team-b'])
      ).trim(),
      'role.rbac.authorization.k8s.io/pod-reader created',
    );
    const refused = await alice.run([
      'create',
      'role',
      'node-reader',
      '--verb=get',
      '--resource=nodes',
      '-n',
      'team-b',
    ]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /roles.rbac.authorization.k8s.io "node-reader" is forbidden: user "alice" \(groups=\["plant-it" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}/,
    );
    const bindAdmin = await alice.run([
      'create',
      'rolebinding',
      'mine',
      '--clusterrole=cluster-admin',
      '--user=alice',
      '-n',
      'team-b',
    ]);
    assert.match(bindAdmin.stderr, /is attempting to grant RBAC permissions not currently held/);
    assert.match(
      await alice.ok(['get', 'roles', '-n', 'team-b']),
      /^NAME\s+CREATED AT\npod-reader\s+\d{4}-\d\d-\d\dT/,
    );
  });

  it('works the same with kubectl 1.27', async function () {
    const bin = kubectlOf(27);
    if (!bin) this.skip();
    const admin27 = new Kubectl(hub.kubeconfig, bin);
    const alice27 = new Kubectl(join(hub.dataDir, 'alice.kubeconfig'), bin);
    await admin27.ok([
      'create',
      'clusterrolebinding',
      'plant-it-view',
      '--clusterrole=view',
      '--group=plant-it',
    ]);
    assert.equal(
      (await alice27.ok(['auth', 'can-i', 'list', 'deployments.apps', '--all-namespaces'])).trim(),
      'yes',
    );
    assert.match(await alice27.ok(['get', 'pods', '-A']), /team-a\s+web\s/);
    assert.equal((await alice27.run(['auth', 'can-i', 'delete', 'nodes'])).stdout.trim(), 'no');
    // kubectl 1.27 asks authentication.k8s.io/v1beta1 (v1 came with 1.28).
    assert.match(
      await alice27.ok(['auth', 'whoami']),
      /Username\s+alice\nGroups\s+\[plant-it system:authenticated\]/,
    );
    assert.match(
      await admin27.ok(['get', 'clusterrolebindings', 'plant-it-view', '-o', 'wide']),
      /plant-it-view\s+ClusterRole\/view\s+\S+\s+plant-it/,
    );
  });
});
