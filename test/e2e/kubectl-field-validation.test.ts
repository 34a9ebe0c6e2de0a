// Field validation as kubectl users meet it, with the real kubectl 1.27 (the oldest the project
// supports) and 1.32 against the real `flotilla hub` process: `--validate=strict` (kubectl's
// default, sent as fieldValidation=Strict) refuses a typo with the server's message, `warn`
// prints the server's warning and stores the object without the field, `false` drops it.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { skipSuiteUnless } from '../helpers/environment.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl, kubectlOf } from '../helpers/kubectl.js';

const typoPod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: docker.io/local/web:1
    comand: ["sleep", "3600"]
`;

const typoConfigMap = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  mode: edge
datta:
  mode: cloud
`;

for (const minor of [27, 32]) {
  describe(`kubectl 1.${minor}: unknown fields in manifests`, function () {
    this.timeout(60_000);
    let hub: HubProcess;
    let kubectl: Kubectl;
    const stored = async (kind: string, name: string) =>
      JSON.parse(await kubectl.ok(['get', kind, name, '-o', 'json']));

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

    it('refuses a typo by default, with the field named, and creates nothing', async () => {
      const result = await kubectl.run(['apply', '-f', '-'], typoPod('typo'));
      assert.notEqual(result.code, 0);
      assert.match(
        result.stderr,
        /Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec\.containers\[0\]\.comand"/,
      );
      assert.equal((await kubectl.run(['get', 'pod', 'typo'])).code, 1);
      const created = await kubectl.run(['create', '-f', '-'], typoConfigMap('typo'));
      assert.notEqual(created.code, 0);
      assert.match(created.stderr, /strict decoding error: unknown field "datta"/);
    });

    it('warns with --validate=warn and stores the object without the field', async () => {
      const result = await kubectl.run(['apply', '--validate=warn', '-f', '-'], typoConfigMap('warned'));
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /Warning: unknown field "datta"/);
      const cm = await stored('configmap', 'warned');
      assert.deepEqual(cm.data, { mode: 'edge' });
      assert.equal(cm.datta, undefined);
    });

    it('drops the field silently with --validate=false', async () => {
      const result = await kubectl.run(['apply', '--validate=false', '-f', '-'], typoPod('ignored'));
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /Warning/);
      const pod = await stored('pod', 'ignored');
      assert.equal(pod.spec.containers[0].comand, undefined);
      assert.equal(pod.spec.containers[0].command, undefined);
    });
  });
}
