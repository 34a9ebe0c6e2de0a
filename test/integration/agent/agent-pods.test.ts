import assert from 'node:assert/strict';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import {
  type AgentUnderTest,
  freePort,
  type HubUnderTest,
  removeDir,
  startAgentUnderTest,
  startHubUnderTest,
} from './agent-harness.js';

const node = 'gw-pods';

describe('edge agent with its pod manager (fake runtime)', function () {
  this.timeout(30_000);
  const hubDir = tempDir('agent-pods-hub');
  const agentDir = tempDir('agent-pods-gw');
  const runtime = new FakeRuntime();
  let hub: HubUnderTest | undefined;
  let gw: AgentUnderTest | undefined;
  let port: number;

  const startGw = async () => {
    gw = await startAgentUnderTest(
      { mqttUrl: `mqtts://127.0.0.1:${port}`, token: hub?.token ?? token },
      node,
      {
        dataDir: agentDir,
        fakeRuntime: runtime,
        realPods: true,
      },
    );
    return gw;
  };
  let token = '';
  const web = async () => (await hub!.api.get('/api/v1/namespaces/default/pods/web')).json();

  before(async () => {
    port = await freePort();
    hub = await startHubUnderTest(hubDir, port);
    token = hub.token;
    await startGw();
  });
  after(async () => {
    await gw?.agent.stop();
    await hub?.hub.stop();
    removeDir(hubDir);
    removeDir(agentDir);
  });

  it('runs a pod bound to the node and reports it Running and Ready', async () => {
    const res = await hub!.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: node, containers: [{ name: 'app', image: 'docker.io/library/busybox:1.36' }] },
    });
    assert.equal(res.status, 201, res.text);
    const pod = await eventually(async () => {
      const found = await web();
      return found.status?.containerStatuses?.[0]?.ready === true ? found : undefined;
    });
    assert.equal(pod!.status.phase, 'Running');
    assert.equal((await runtime.listContainers()).filter((c) => c.state === 'RUNNING').length, 1);
  });

  it('keeps the pod running across an agent restart while the hub is down, adopting it', async () => {
    const before = (await runtime.listContainers()).map((c) => c.id);
    await gw!.agent.stop();
    assert.deepEqual(
      (await runtime.listContainers()).map((c) => [c.id, c.state]),
      before.map((id) => [id, 'RUNNING']),
    );
    await hub!.hub.stop();
    hub = undefined;
    const offline = await startGw();
    assert.equal(offline.agent.link.connected, false);
    await eventually(() => offline.agent.podManager.runningPods().some((p) => p.status.phase === 'Running'));
    assert.deepEqual(
      (await runtime.listContainers()).map((c) => c.id),
      before,
      'no container recreated',
    );

    hub = await startHubUnderTest(hubDir, port);
    await eventually(() => offline.agent.link.connected);
    const pod = await web();
    assert.equal(pod.status.phase, 'Running');
    assert.equal(pod.status.containerStatuses[0].restartCount, 0);
  });
});
