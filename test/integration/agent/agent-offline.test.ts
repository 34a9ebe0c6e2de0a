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

const node = 'gw-offline';

describe('edge agent without its hub', function () {
  this.timeout(30_000);
  const hubDir = tempDir('agent-offline-hub');
  const agentDir = tempDir('agent-offline-gw');
  const runtime = new FakeRuntime();
  let port: number;
  let hub: HubUnderTest | undefined;
  let gw: AgentUnderTest | undefined;
  const pods: Record<string, any> = {};

  const startHub = async () => {
    hub = await startHubUnderTest(hubDir, port);
    return hub;
  };
  const stopHub = async () => {
    await hub?.hub.stop();
    hub = undefined;
  };
  const startGw = async () => {
    gw = await startAgentUnderTest({ mqttUrl: `mqtts://127.0.0.1:${port}`, token: token() }, node, {
      dataDir: agentDir,
      fakeRuntime: runtime,
    });
    return gw;
  };
  let joinToken = '';
  const token = () => joinToken;
  const podOf = async (name: string) =>
    (await hub!.api.get(`/api/v1/namespaces/default/pods/${name}`)).json();
  const observedAt = (pod: any) =>
    Date.parse(pod.status.conditions.find((c: any) => c.type === 'flotilla.io/StatusObserved').lastProbeTime);

  before(async () => {
    port = await freePort();
    joinToken = (await startHub()).token;
    await startGw();
    for (const name of ['p1', 'p2']) {
      const res = await hub!.api.post('/api/v1/namespaces/default/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: { nodeName: node, containers: [{ name: 'app', image: 'docker.io/library/busybox:1.36' }] },
      });
      assert.equal(res.status, 201, res.text);
      pods[name] = res.json();
    }
    await eventually(async () => (await podOf('p1')).status?.phase === 'Running');
    await eventually(async () => (await podOf('p2')).status?.phase === 'Running');
    // The Started events follow the Running statuses: the outbox starts empty in the first test.
    await eventually(() => gw!.agent.outbox.size === 0);
  });
  after(async () => {
    await gw?.agent.stop();
    await stopHub();
    removeDir(hubDir);
    removeDir(agentDir);
  });

  it('queues statuses while the hub is down and delivers them in order, with their observedAt', async () => {
    await stopHub();
    await eventually(() => !gw!.agent.link.connected);
    const t0 = Date.now();
    gw!.pods.report(pods.p2, 'Failed', t0 + 1);
    gw!.pods.reports.event({
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'p1', uid: pods.p1.metadata.uid },
      type: 'Normal',
      reason: 'Killing',
      message: 'Stopping container app',
      observedAt: t0 + 2,
    });
    gw!.pods.report(pods.p1, 'Succeeded', t0 + 3);
    gw!.pods.report(pods.p2, 'Running', t0 + 4); // replaces p2's queued status, keeps its place
    assert.deepEqual(
      gw!.agent.outbox.list().map((e) => e.key),
      [
        `pod/${pods.p2.metadata.uid}`,
        `event/${gw!.agent.outbox.list()[1]!.seq}`,
        `pod/${pods.p1.metadata.uid}`,
      ],
    );

    await startHub();
    const p1 = await eventually(async () => {
      const pod = await podOf('p1');
      return pod.status.phase === 'Succeeded' && pod;
    });
    const p2 = await podOf('p2');
    assert.equal(observedAt(p1), t0 + 3);
    assert.equal(p2.status.phase, 'Running');
    assert.equal(observedAt(p2), t0 + 4);
    const killing = await eventually(async () => {
      const items = (await hub!.api.get('/api/v1/namespaces/default/events')).json().items;
      return items.find((e: any) => e.reason === 'Killing');
    });
    // The hub handles a node's messages in arrival order, so its writes show the delivery order.
    const rv = (obj: any) => Number(obj.metadata.resourceVersion);
    assert.ok(rv(p2) < rv(killing) && rv(killing) < rv(p1), `${rv(p2)} < ${rv(killing)} < ${rv(p1)}`);
    await eventually(() => gw!.agent.outbox.size === 0);
    // The restarted hub sends the state as the answer to the agent's resync, and the agent acks it.
    await eventually(() => hub!.hub.edgeSync.appliedRevision(node) !== undefined);
  });

  it('leaves its pods running when it stops, and the hub sees the node go offline', async () => {
    await gw!.agent.stop();
    const containers = await runtime.listContainers();
    assert.equal(containers.length, 2);
    assert.ok(containers.every((c) => c.state === 'RUNNING'));
    assert.ok((await runtime.listPodSandboxes()).every((s) => s.state === 'READY'));
    assert.equal(gw!.pods.stopped, true);
    await eventually(async () => {
      const ready = (await hub!.api.get(`/api/v1/nodes/${node}`))
        .json()
        .status.conditions.find((c: any) => c.type === 'Ready');
      return ready.status === 'Unknown';
    });
  });

  it('runs from local state when restarted while the hub is down, and delivers what it queued later', async () => {
    const applied = hub!.hub.edgeSync.appliedRevision(node);
    await stopHub();
    const offline = await startGw();
    assert.equal(offline.agent.link.connected, false);
    assert.equal(offline.pods.desired.length, 1, 'desired state handed over before any connection');
    assert.equal(offline.pods.desired[0]!.revision, applied);
    assert.deepEqual(offline.pods.desired[0]!.pods.map((p) => p.metadata.name).sort(), ['p1', 'p2']);

    const t5 = Date.now() + 5;
    offline.pods.report(pods.p2, 'Failed', t5); // p1 is Succeeded: a terminal phase never changes
    await offline.agent.stop(); // the outbox goes to local state on stop
    const again = await startGw();
    assert.equal(again.agent.outbox.size, 1);

    await startHub();
    await eventually(async () => {
      const pod = await podOf('p2');
      return pod.status.phase === 'Failed' && observedAt(pod) === t5;
    });
    await eventually(() => again.agent.outbox.size === 0);
  });
});
