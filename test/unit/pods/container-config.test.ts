import assert from 'node:assert/strict';
import { linuxResources } from '../../../edge-agent/pods/container-resources.js';
import { containerHash } from '../../../edge-agent/pods/runtime-labels.js';
import type { FakeContainerView } from '../../../edge-agent/runtime/fake-container-io.js';
import { aConfigMap, aContainer, aPod, aSecret, desiredState } from './pod-builders.js';
import { aHarness, type PodHarness } from './pod-harness.js';

/** What the runtime was asked to run, read back through the fake's exec hook. */
async function viewOf(h: PodHarness, id: string): Promise<FakeContainerView> {
  let view: FakeContainerView | undefined;
  h.runtime.onExec((container) => {
    view = container;
    return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 };
  });
  await h.runtime.execSync(id, ['true'], 1);
  return view!;
}

describe('container configs', () => {
  describe('linuxResources', () => {
    it('maps requests to CPU shares and limits to CFS quota and a memory limit, like the kubelet', () => {
      assert.deepEqual(
        linuxResources(
          aContainer('a', {
            resources: { requests: { cpu: '250m' }, limits: { cpu: '1', memory: '128Mi' } },
          }),
        ),
        {
          cpuShares: 256,
          cpuPeriod: 100_000,
          cpuQuota: 100_000,
          memoryLimitBytes: 128 * 2 ** 20,
        },
      );
      assert.deepEqual(linuxResources(aContainer('a', { resources: { limits: { cpu: '500m' } } })), {
        cpuShares: 512,
        cpuPeriod: 100_000,
        cpuQuota: 50_000,
      });
      assert.deepEqual(linuxResources(aContainer('a')), { cpuShares: 2 });
      assert.equal(linuxResources(aContainer('a', { resources: { limits: { cpu: '1m' } } })).cpuQuota, 1000);
    });
  });

  describe('containerHash', () => {
    it('ignores key order, defaults and probes, and changes with the command', () => {
      const base = aContainer('app', { image: 'docker.io/x/y:1', ports: [{ containerPort: 80 }] });
      const reordered = {
        ports: [{ protocol: 'TCP' as const, containerPort: 80 }],
        image: 'docker.io/x/y:1',
        name: 'app',
        command: base.command,
        imagePullPolicy: 'IfNotPresent' as const,
      };
      assert.equal(containerHash(reordered), containerHash(base));
      assert.equal(
        containerHash({ ...base, readinessProbe: { exec: { command: ['true'] } } }),
        containerHash(base),
      );
      assert.notEqual(containerHash({ ...base, command: ['sh'] }), containerHash(base));
    });
  });

  describe('in the runtime', () => {
    let h: PodHarness;

    beforeEach(async () => {
      h = await aHarness();
    });

    afterEach(async () => {
      await h.cleanup();
    });

    it('passes the resolved env, $(VAR)-expanded command and args, resources and labels', async () => {
      const pod = aPod('web', {
        containers: [
          aContainer('app', {
            command: ['sh', '-c', 'echo $(GREETING) $(MISSING)'],
            args: ['$(POD_NAME)', '$$(POD_NAME)'],
            workingDir: '/tmp',
            env: [
              { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            ],
            envFrom: [{ secretRef: { name: 'creds' }, prefix: 'S_' }],
            resources: { limits: { memory: '64Mi' } },
          }),
        ],
      });
      h.setDesired(
        desiredState([pod], {
          configMaps: [aConfigMap('settings', { greeting: 'hello' })],
          secrets: [aSecret('creds', { user: 'edge' })],
        }),
      );
      await h.sync(3);
      const view = await viewOf(h, (await h.running('app')).id);
      assert.deepEqual(view.config.command, ['sh', '-c', 'echo hello $(MISSING)']);
      assert.deepEqual(view.config.args, ['web', '$(POD_NAME)']);
      assert.equal(view.config.workingDir, '/tmp');
      assert.deepEqual(view.config.envs, [
        { key: 'S_user', value: 'edge' },
        { key: 'GREETING', value: 'hello' },
        { key: 'POD_NAME', value: 'web' },
        { key: 'POD_IP', value: '10.88.0.2' },
      ]);
      assert.equal(view.config.resources?.memoryLimitBytes, 64 * 2 ** 20);
      assert.equal(view.config.logPath, 'app/0.log');
      assert.equal(view.config.labels['io.kubernetes.container.name'], 'app');
      assert.equal(view.config.labels['io.kubernetes.pod.uid'], 'uid-web');
      assert.equal(view.sandbox.labels.app, 'web');
    });

    it('asks for hostPort mappings, and none on the host network', async () => {
      const ports = [
        { containerPort: 80, hostPort: 8080, name: 'http' },
        { containerPort: 9000, protocol: 'UDP' as const },
      ];
      h.setDesired(desiredState([aPod('web', { containers: [aContainer('app', { ports })] })]));
      await h.sync(3);
      const view = await viewOf(h, (await h.running('app')).id);
      assert.deepEqual(view.sandbox.portMappings, [
        { protocol: 'TCP', containerPort: 80, hostPort: 8080, hostIp: undefined },
      ]);
      assert.equal(view.sandbox.hostNetwork, false);

      h.setDesired(
        desiredState([aPod('host', { hostNetwork: true, containers: [aContainer('app', { ports })] })], {
          revision: 2,
        }),
      );
      await h.sync(4);
      const hostView = await viewOf(h, (await h.running('app')).id);
      assert.equal(hostView.sandbox.hostNetwork, true);
      assert.deepEqual(hostView.sandbox.portMappings, []);
      assert.equal(h.status('host').podIP, '172.31.0.11');
    });

    it('fails a container whose config map key is missing with CreateContainerConfigError', async () => {
      const pod = aPod('web', {
        containers: [
          aContainer('app', {
            env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'nope' } } }],
          }),
        ],
      });
      h.setDesired(desiredState([pod], { configMaps: [aConfigMap('settings', {})] }));
      await h.sync(3);
      assert.deepEqual(h.container('web').state.waiting, {
        reason: 'CreateContainerConfigError',
        message: "couldn't find key nope in ConfigMap default/settings",
      });
      h.setDesired(
        desiredState([pod], { configMaps: [aConfigMap('settings', { nope: 'now' })], revision: 2 }),
      );
      await h.sync(2);
      assert.ok(h.container('web').state.running);
    });
  });
});
