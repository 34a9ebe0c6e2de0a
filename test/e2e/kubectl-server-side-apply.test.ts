// Server-side apply as kubectl users meet it, with the real kubectl 1.27 and 1.32 against the
// real `flotilla hub` process: `apply --server-side` creates and updates, a field another
// manager changed is a conflict kubectl reports until `--force-conflicts`, `diff --server-side`
// shows what would change, `--show-managed-fields` shows the managers, and an object first
// applied client-side moves to server-side apply without conflicts; an ApplySet prunes what left it.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { skipSuiteUnless } from '../helpers/environment.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl, kubectlOf } from '../helpers/kubectl.js';

const deployment = (name: string, replicas: number, image = 'docker.io/local/web:1') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: ${image}
`;

for (const minor of [27, 32]) {
  describe(`kubectl 1.${minor}: server-side apply`, function () {
    this.timeout(90_000);
    let hub: HubProcess;
    let kubectl: Kubectl;
    const replicas = async (name: string) =>
      JSON.parse(await kubectl.ok(['get', 'deployment', name, '-o', 'json'])).spec.replicas;

    before(async function () {
      const bin = kubectlOf(minor);
      skipSuiteUnless(this, bin ? [] : [`kubectl 1.${minor} is not installed`]);
      hub = await startHubProcess();
      kubectl = new Kubectl(hub.kubeconfig, bin);
    });
    after(async () => {
      await hub?.stop();
      if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
    });

    it('creates and updates with --server-side, recording kubectl as the manager', async () => {
      assert.match(
        await kubectl.ok(['apply', '--server-side', '-f', '-'], deployment('ssa', 2)),
        /serverside-applied/,
      );
      assert.match(
        await kubectl.ok(['apply', '--server-side', '-f', '-'], deployment('ssa', 3)),
        /serverside-applied/,
      );
      assert.equal(await replicas('ssa'), 3);
      const shown = await kubectl.ok(['get', 'deployment', 'ssa', '-o', 'yaml', '--show-managed-fields']);
      assert.match(shown, /manager: kubectl\n\s+operation: Apply/);
    });

    it('reports a conflict with another manager until --force-conflicts', async () => {
      await kubectl.ok(['scale', 'deployment', 'ssa', '--replicas=5']);
      await kubectl.ok(['patch', 'deployment', 'ssa', '--type=merge', '-p', '{"spec":{"replicas":6}}']);
      const refused = await kubectl.run(['apply', '--server-side', '-f', '-'], deployment('ssa', 3));
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /Apply failed with 1 conflict: conflict with "kubectl-patch"/);
      assert.match(refused.stderr, /\.spec\.replicas/);
      await kubectl.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], deployment('ssa', 3));
      assert.equal(await replicas('ssa'), 3);
    });

    it('shows what would change with diff --server-side, changing nothing', async () => {
      const result = await kubectl.run(
        ['diff', '--server-side', '-f', '-'],
        deployment('ssa', 4, 'docker.io/local/web:2'),
      );
      assert.equal(result.code, 1, result.stderr); // 1: differences found
      assert.match(result.stdout, /-\s+replicas: 3\n\+\s+replicas: 4/);
      assert.match(result.stdout, /\+\s+- image: docker\.io\/local\/web:2/);
      assert.equal(await replicas('ssa'), 3);
    });

    it('prunes what left an ApplySet (apply --prune --applyset)', async () => {
      const configMap = (name: string) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  k: v\n`;
      // ApplySets are behind kubectl's KUBECTL_APPLYSET flag in 1.27-1.33; kubectl inherits it.
      const before = process.env.KUBECTL_APPLYSET;
      process.env.KUBECTL_APPLYSET = 'true';
      try {
        const args = [
          'apply',
          '-n',
          'default',
          '--prune',
          '--applyset=plant-config',
          '--server-side',
          '-f',
          '-',
        ];
        await kubectl.ok(args, `${configMap('set-a')}---\n${configMap('set-b')}`);
        assert.match(await kubectl.ok(args, configMap('set-a')), /configmap\/set-b pruned/);
        assert.equal((await kubectl.run(['get', 'configmap', 'set-b'])).code, 1);
        assert.equal((await kubectl.run(['get', 'configmap', 'set-a'])).code, 0);
      } finally {
        if (before === undefined) delete process.env.KUBECTL_APPLYSET;
        else process.env.KUBECTL_APPLYSET = before;
      }
    });

    it('moves an object applied client-side to server-side apply without conflicts', async () => {
      await kubectl.ok(['apply', '-f', '-'], deployment('csa', 2));
      await kubectl.ok(['apply', '--server-side', '-f', '-'], deployment('csa', 4));
      assert.equal(await replicas('csa'), 4);
    });
  });
}
