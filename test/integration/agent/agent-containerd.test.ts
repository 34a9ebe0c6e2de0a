import assert from 'node:assert/strict';
import { silentLogger } from '../../../api/logger.js';
import { type RunningAgent, startAgent } from '../../../edge-agent/agent.js';
import type { AgentOptions } from '../../../edge-agent/agent-options.js';
import { CriRuntime } from '../../../edge-agent/runtime/cri-runtime.js';
import { processesWithArg } from '../../../edge-agent/runtime/host-processes.js';
import { importImageTar } from '../../../edge-agent/runtime/image-import.js';
import { ManagedContainerd } from '../../../edge-agent/runtime/managed-containerd.js';
import { missingForContainers, skipSuiteUnless } from '../../helpers/environment.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import { type TestImage, testImages } from '../../helpers/images/test-images.js';
import { fastTiming, type HubUnderTest, removeDir, startHubUnderTest } from './agent-harness.js';

const node = 'gw-ctr';

describe('edge agent with its managed containerd', function () {
  this.timeout(120_000);
  let hub: HubUnderTest;
  let images: { pause: TestImage; busybox: TestImage };
  let agent: RunningAgent | undefined;
  const dataDir = tempDir('agent-ctr');
  const socket = `${dataDir}/containerd/containerd.sock`;
  const containers = async () => {
    const cri = new CriRuntime(`unix://${socket}`);
    try {
      return (await cri.listContainers()).map((c) => [c.id, c.state]);
    } finally {
      cri.close();
    }
  };

  before(async function () {
    skipSuiteUnless(this, missingForContainers());
    images = await testImages();
    hub = await startHubUnderTest();
  });
  after(async () => {
    await agent?.stop();
    if (images) {
      const containerd = new ManagedContainerd({ dataDir, pauseImage: images.pause.ref });
      await containerd.start();
      await containerd.purge();
    }
    await hub?.hub.stop();
    if (hub) removeDir(hub.dataDir);
    removeDir(dataDir);
  });

  const options = (): AgentOptions => ({
    hubUrl: hub.mqttUrl,
    token: hub.token,
    nodeName: node,
    dataDir,
    runtime: { kind: 'managed', pauseImage: images.pause.ref },
    timing: fastTiming,
    log: silentLogger,
  });

  it('runs a pod, leaves it running when stopped (containerd stops, its shim stays), adopts it after a restart', async () => {
    agent = await startAgent(options());
    await importImageTar(socket, images.pause.tar);
    await importImageTar(socket, images.busybox.tar);
    const res = await hub.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sleeper', namespace: 'default' },
      spec: {
        nodeName: node,
        hostNetwork: true, // the managed containerd has no pod network without a pod CIDR
        containers: [{ name: 'app', image: images.busybox.ref, command: ['sleep', '3600'] }],
      },
    });
    assert.equal(res.status, 201, res.text);
    const phase = async () =>
      (await hub.api.get('/api/v1/namespaces/default/pods/sleeper')).json().status?.phase;
    await eventually(async () => (await phase()) === 'Running', { timeoutMs: 30_000 });
    const running = await containers();
    assert.equal(running.length, 1);

    await agent.stop();
    agent = undefined;
    assert.deepEqual(
      processesWithArg('--config', `${dataDir}/containerd/config.toml`),
      [],
      'containerd stopped',
    );
    assert.equal(processesWithArg('-address', socket).length, 1, 'the pod shim still runs');

    agent = await startAgent(options());
    const restarted = agent;
    await eventually(() => restarted.podManager.runningPods().some((p) => p.status.phase === 'Running'), {
      timeoutMs: 20_000,
    });
    assert.deepEqual(await containers(), running, 'the same container, still running');
    assert.equal(await phase(), 'Running');
  });
});
