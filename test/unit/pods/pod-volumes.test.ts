import assert from 'node:assert/strict';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import { writeAtomically } from '../../../edge-agent/pods/atomic-writer.js';
import { containerMounts, setUpVolumes, VolumeError } from '../../../edge-agent/pods/pod-volumes.js';
import { aConfigMap, aContainer, aPod, aSecret, desiredState } from './pod-builders.js';
import { aHarness, type PodHarness } from './pod-harness.js';

describe('pod volumes', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-volumes-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('writeAtomically', () => {
    const file = (path: string, text: string, mode = 0o644) => ({ path, content: Buffer.from(text), mode });

    it('writes files behind a ..data symlink, with their modes', async () => {
      assert.equal(await writeAtomically(dir, [file('a.conf', 'A'), file('sub/b', 'B', 0o600)]), true);
      assert.equal(await readFile(join(dir, 'a.conf'), 'utf8'), 'A');
      assert.equal(await readFile(join(dir, 'sub', 'b'), 'utf8'), 'B');
      assert.equal(await readlink(join(dir, 'a.conf')), '..data/a.conf');
      assert.match(await readlink(join(dir, '..data')), /^\.\.[0-9a-f]{16}$/);
      assert.equal((await stat(join(dir, 'sub', 'b'))).mode & 0o777, 0o600);
    });

    it('swaps ..data to the new content and drops files that are gone; unchanged content is a no-op', async () => {
      await writeAtomically(dir, [file('a', '1'), file('b', '1')]);
      const first = await readlink(join(dir, '..data'));
      assert.equal(await writeAtomically(dir, [file('a', '1'), file('b', '1')]), false);
      await writeAtomically(dir, [file('a', '2')]);
      assert.notEqual(await readlink(join(dir, '..data')), first);
      assert.equal(await readFile(join(dir, 'a'), 'utf8'), '2');
      const entries = (await readdir(dir)).sort();
      assert.deepEqual(
        entries.filter((e) => !e.startsWith('..')),
        ['a'],
      );
      assert.equal(entries.filter((e) => e.startsWith('..') && e !== '..data').length, 1);
    });

    it('refuses paths that leave the volume', async () => {
      await assert.rejects(writeAtomically(dir, [file('../evil', 'x')]), /invalid volume file path/);
    });
  });

  describe('setUpVolumes', () => {
    const objects: KubeObject[] = [
      aConfigMap('web-config', { 'app.conf': 'port=80', other: 'x' }),
      aSecret('web-secret', { token: 'abc' }),
    ];
    const ctx = (pod: KubeObject) => ({
      pod,
      podDir: dir,
      configMap: (_: string, name: string) =>
        objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name),
      secret: (_: string, name: string) =>
        objects.find((o) => o.kind === 'Secret' && o.metadata.name === name),
    });

    it('writes config map items with their paths and modes, secrets decoded, and makes emptyDirs', async () => {
      const hostDir = join(dir, 'host', 'data');
      const pod = aPod('web', {
        volumes: [
          {
            name: 'config',
            configMap: {
              name: 'web-config',
              items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }],
            },
          },
          { name: 'secret', secret: { secretName: 'web-secret', defaultMode: 0o400 } },
          { name: 'scratch', emptyDir: {} },
          { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
        ],
      });
      const volumes = await setUpVolumes(ctx(pod));
      const config = volumes.get('config')!;
      assert.equal(await readFile(join(config.hostPath, 'conf', 'app.conf'), 'utf8'), 'port=80');
      assert.equal((await stat(join(config.hostPath, 'conf', 'app.conf'))).mode & 0o777, 0o600);
      await assert.rejects(lstat(join(config.hostPath, 'other')));
      const secret = volumes.get('secret')!;
      assert.equal(await readFile(join(secret.hostPath, 'token'), 'utf8'), 'abc');
      assert.equal((await stat(join(secret.hostPath, 'token'))).mode & 0o777, 0o400);
      assert.ok((await stat(volumes.get('scratch')!.hostPath)).isDirectory());
      assert.ok((await stat(hostDir)).isDirectory());
      const container = aContainer('app', {
        volumeMounts: [
          { name: 'config', mountPath: '/etc/app' },
          { name: 'scratch', mountPath: '/tmp/scratch' },
          { name: 'host', mountPath: '/data', readOnly: true },
          { name: 'secret', mountPath: '/run/token', subPath: 'token' },
        ],
      });
      assert.deepEqual(containerMounts(container, volumes), [
        { containerPath: '/etc/app', hostPath: config.hostPath, readonly: true },
        { containerPath: '/tmp/scratch', hostPath: volumes.get('scratch')!.hostPath, readonly: false },
        { containerPath: '/data', hostPath: hostDir, readonly: true },
        { containerPath: '/run/token', hostPath: join(secret.hostPath, 'token'), readonly: true },
      ]);
    });

    it("fails with kubelet's FailedMount messages for missing sources, keys and host paths", async () => {
      const fails = async (volume: any, message: string) => {
        await assert.rejects(setUpVolumes(ctx(aPod('web', { volumes: [volume] }))), (error: unknown) => {
          assert.ok(error instanceof VolumeError);
          assert.equal(error.message, `MountVolume.SetUp failed for volume "v" : ${message}`);
          return true;
        });
      };
      await fails({ name: 'v', configMap: { name: 'nope' } }, 'configmap "nope" not found');
      await fails({ name: 'v', secret: { secretName: 'nope' } }, 'secret "nope" not found');
      await fails(
        { name: 'v', configMap: { name: 'web-config', items: [{ key: 'k', path: 'k' }] } },
        'configmap references non-existent config key: k',
      );
      await fails(
        { name: 'v', hostPath: { path: join(dir, 'missing'), type: 'Directory' } },
        `hostPath type check failed: ${join(dir, 'missing')} is not a directory`,
      );
      const optional = await setUpVolumes(
        ctx(aPod('web', { volumes: [{ name: 'v', configMap: { name: 'nope', optional: true } }] })),
      );
      assert.deepEqual(
        await readdir(optional.get('v')!.hostPath).then((e) => e.filter((n) => !n.startsWith('..'))),
        [],
      );
    });
  });

  describe('in a running pod', () => {
    let h: PodHarness;

    afterEach(async () => {
      await h.cleanup();
    });

    it('keeps a mounted config map current while the container runs, without restarting it', async () => {
      h = await aHarness();
      const pod = aPod('web', {
        volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
        containers: [aContainer('app', { volumeMounts: [{ name: 'config', mountPath: '/etc/app' }] })],
      });
      h.setDesired(desiredState([pod], { configMaps: [aConfigMap('web-config', { 'app.conf': 'v1' })] }));
      await h.sync(3);
      const file = join(h.dataDir, 'pods', 'uid-web', 'volumes', 'configmap', 'config', 'app.conf');
      assert.equal(await readFile(file, 'utf8'), 'v1');
      const running = await h.running('app');
      h.setDesired(
        desiredState([pod], { configMaps: [aConfigMap('web-config', { 'app.conf': 'v2' })], revision: 2 }),
      );
      await h.sync(2);
      assert.equal(await readFile(file, 'utf8'), 'v2');
      assert.equal((await h.running('app')).id, running.id);
    });

    it('keeps a pod whose volume cannot be set up in ContainerCreating with a FailedMount event', async () => {
      h = await aHarness();
      const pod = aPod('web', { volumes: [{ name: 'config', configMap: { name: 'absent' } }] });
      h.setDesired(desiredState([pod]));
      await h.sync(3);
      assert.equal(h.container('web').state.waiting.reason, 'ContainerCreating');
      const failed = h.events.find((e) => e.reason === 'FailedMount');
      assert.equal(
        failed?.message,
        'MountVolume.SetUp failed for volume "config" : configmap "absent" not found',
      );
    });
  });
});
