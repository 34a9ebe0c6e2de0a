import assert from 'node:assert/strict';
import { encodePayload } from '../../../api/mqtt/codec.js';
import { caCertHash, formatJoinString } from '../../../api/mqtt/join-string.js';
import { kubeArch } from '../../../edge-agent/node-status/node-labels.js';
import { eventually } from '../../helpers/eventually.js';
import {
  type AgentUnderTest,
  type HubUnderTest,
  observeAgent,
  removeDir,
  startAgentUnderTest,
  startHubUnderTest,
} from './agent-harness.js';

const node = 'gw-link';

async function createPod(hub: HubUnderTest, name: string, nodeName = node): Promise<any> {
  const res = await hub.api.post('/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: [{ name: 'app', image: 'docker.io/library/busybox:1.36' }] },
  });
  assert.equal(res.status, 201, res.text);
  return res.json();
}

describe('edge agent ↔ hub over MQTT', function () {
  this.timeout(30_000);
  let hub: HubUnderTest;
  let gw: AgentUnderTest;

  before(async () => {
    hub = await startHubUnderTest();
    gw = await startAgentUnderTest(hub, node, {
      nodeLabels: { 'flotilla.io/site': 'hall-3' },
      taints: [{ key: 'dedicated', value: 'sensors', effect: 'NoSchedule' }],
    });
  });
  after(async () => {
    await gw.agent.stop();
    removeDir(gw.dataDir);
    await hub.hub.stop();
    removeDir(hub.dataDir);
  });

  it('registers the Node with its labels and taints', async () => {
    const nodeObj = await eventually(async () => {
      const res = await hub.api.get(`/api/v1/nodes/${node}`);
      return res.status === 200 && res.json();
    });
    assert.equal(nodeObj.metadata.labels['kubernetes.io/arch'], kubeArch(process.arch));
    assert.equal(nodeObj.metadata.labels['kubernetes.io/os'], 'linux');
    assert.equal(nodeObj.metadata.labels['kubernetes.io/hostname'], node);
    assert.equal(nodeObj.metadata.labels['flotilla.io/site'], 'hall-3');
    assert.deepEqual(nodeObj.spec.taints, [{ key: 'dedicated', value: 'sensors', effect: 'NoSchedule' }]);
    assert.equal(nodeObj.status.nodeInfo.containerRuntimeVersion, 'fake://0.1.0');
    assert.equal(nodeObj.status.capacity.pods, '110');
    const ready = nodeObj.status.conditions.find((c: any) => c.type === 'Ready');
    assert.equal(ready.status, 'True');
  });

  it('reports node conditions (memory, disk, PID pressure) besides Ready', async () => {
    const conditions = await eventually(async () => {
      const found = (await hub.api.get(`/api/v1/nodes/${node}`)).json().status.conditions;
      return found.some((c: any) => c.type === 'DiskPressure') && found;
    });
    const types = conditions.map((c: any) => c.type).sort();
    assert.deepEqual(types, ['DiskPressure', 'MemoryPressure', 'NetworkUnavailable', 'PIDPressure', 'Ready']);
  });

  it('renews the node Lease with its heartbeats', async () => {
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`;
    const first = await eventually(async () => {
      const res = await hub.api.get(path);
      return res.status === 200 ? Date.parse(res.json().spec.renewTime) : undefined;
    });
    // Later heartbeats renew it in the hub's memory (the stored Lease is written when 30 s behind).
    await eventually(() => Date.parse(hub.hub.heartbeats.renewTime(node) ?? '') > first!, {
      timeoutMs: 12_000,
    });
  });

  it('hands a pod bound to the node to the pod manager and acknowledges the revision', async () => {
    const pod = await createPod(hub, 'reader');
    const state = await eventually(() =>
      gw.pods.desired.find((s) => s.pods.some((p) => p.metadata.name === 'reader')),
    );
    assert.ok(state);
    assert.equal(state.pods.find((p) => p.metadata.name === 'reader')?.metadata.uid, pod.metadata.uid);
    await eventually(() => hub.hub.edgeSync.appliedRevision(node) === state.revision);
  });

  it("delivers the pod's status to the hub", async () => {
    const pod = await eventually(async () => {
      const found = (await hub.api.get('/api/v1/namespaces/default/pods/reader')).json();
      return found.status?.phase === 'Running' && found;
    });
    const observed = pod.status.conditions.find((c: any) => c.type === 'flotilla.io/StatusObserved');
    assert.ok(observed, 'the status carries when it was observed');
    const events = await eventually(async () => {
      const list = (await hub.api.get('/api/v1/namespaces/default/events')).json().items;
      return list.some((e: any) => e.reason === 'Started' && e.involvedObject.name === 'reader') && list;
    });
    assert.ok(events.length > 0);
  });

  it('answers a logs request on its reply topic, and exec into a container not running with an error', async () => {
    const observer = await observeAgent(hub, node);
    try {
      const replyTo = (id: string) => `flotilla/v1/nodes/${node}/replies/${id}`;
      await observer.client.publishAsync(
        `flotilla/v1/nodes/${node}/requests/logs`,
        encodePayload({ id: 'r-1', replyTo: replyTo('r-1'), namespace: 'default', pod: 'reader' }),
        { qos: 1 },
      );
      await observer.client.publishAsync(
        `flotilla/v1/nodes/${node}/requests/exec`,
        encodePayload({
          id: 'r-2',
          replyTo: replyTo('r-2'),
          namespace: 'default',
          pod: 'reader',
          command: ['sh'],
        }),
        { qos: 1 },
      );
      const replies = await eventually(() => {
        const found = observer.messages.filter((m) => m.route.startsWith('replies/'));
        return found.length >= 3 ? found : undefined;
      });
      assert.deepEqual(
        replies!.map((m) => m.payload).sort((a, b) => a.id.localeCompare(b.id) || a.seq - b.seq),
        [
          { id: 'r-1', seq: 0, stream: 'stdout', data: 'logs of default/reader\n' },
          { id: 'r-1', seq: 1, end: true },
          // The fake pod manager reports the pod without starting containers in the runtime.
          {
            id: 'r-2',
            seq: 0,
            end: true,
            error: 'container app in pod default/reader is not running (not started yet)',
          },
        ],
      );
    } finally {
      await observer.client.endAsync();
    }
  });

  it('sends nothing the hub drops or refuses', () => {
    const complaints = hub.logs.filter(
      (line) => line.includes(node) && /dropped|refused|not written/.test(line),
    );
    assert.deepEqual(complaints, []);
  });

  it('says clearly when the hub refuses its token, and keeps retrying', async () => {
    const token = formatJoinString('not-the-token', caCertHash(hub.hub.caPem));
    const wrong = await startAgentUnderTest({ mqttUrl: hub.mqttUrl, token }, 'gw-wrong');
    try {
      const refused = (line: string) =>
        line.includes(
          'hub refused the connection: bad username or password: this node name has no node key bound',
        );
      await eventually(() => wrong.logs.filter(refused).length >= 2);
      assert.equal(wrong.agent.link.connected, false);
    } finally {
      await wrong.agent.stop();
      removeDir(wrong.dataDir);
    }
  });
});
