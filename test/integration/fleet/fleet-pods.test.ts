import assert from 'node:assert/strict';
import type { TestObject } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import { condition, containersByPod, Fleet, observedAt } from './fleet-harness.js';

const gateways = ['gw-a', 'gw-b', 'gw-c'];
/** Pods bound by hand: two per gateway. */
const placement: Record<string, string> = {
  'sensor-a1': 'gw-a',
  'sensor-a2': 'gw-a',
  'sensor-b1': 'gw-b',
  'sensor-b2': 'gw-b',
  'sensor-c1': 'gw-c',
  'sensor-c2': 'gw-c',
};

const podsOn = (node: string) =>
  Object.keys(placement)
    .filter((name) => placement[name] === node)
    .sort();

const inSubnet = (ip: string, cidr: string) => ip.startsWith(cidr.replace(/0\/24$/, ''));

describe('pods on a fleet of gateways, bound by hand', function () {
  this.timeout(30_000);
  let fleet: Fleet;
  /** Container ids per gateway, per pod, as first started. */
  const started: Record<string, Record<string, string[]>> = {};

  const restartCounts = async () => {
    const counts: Record<string, number> = {};
    for (const name of Object.keys(placement)) {
      const pod = await fleet.pod(name);
      counts[name] = pod?.status.containerStatuses?.[0]?.restartCount;
    }
    return counts;
  };
  const allRunning = async () => {
    for (const name of Object.keys(placement)) await fleet.runningPod(name);
  };
  const noRestarts = Object.fromEntries(Object.keys(placement).map((name) => [name, 0]));

  before(async () => {
    fleet = await Fleet.start();
    for (const name of gateways) await fleet.startAgent(name);
    await eventually(async () => {
      const nodes = await Promise.all(gateways.map((name) => fleet.node(name)));
      return nodes.every((n) => n && condition(n, 'Ready')?.status === 'True');
    });
  });
  after(async () => {
    await fleet?.close();
  });

  it('runs each pod on its own gateway and reports its IPs and conditions from there', async () => {
    for (const [name, node] of Object.entries(placement)) await fleet.createPod(name, node);
    for (const [name, nodeName] of Object.entries(placement)) {
      const pod = await fleet.runningPod(name);
      const gw = fleet.agent(nodeName);
      const node = (await fleet.node(nodeName))!;
      const internalIP = node.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
      const sandbox = (await gw.runtime.listPodSandboxes()).find((s) => s.metadata.name === name);
      assert.ok(sandbox, `${name} has a sandbox on ${nodeName}`);
      assert.equal(pod.status.podIP, sandbox.ip);
      assert.ok(inSubnet(pod.status.podIP, node.spec.podCIDR), `${pod.status.podIP} in ${node.spec.podCIDR}`);
      assert.deepEqual(pod.status.podIPs, [{ ip: sandbox.ip }]);
      assert.equal(pod.status.hostIP, internalIP);
      for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'])
        assert.equal(condition(pod, type)?.status, 'True', `${name} ${type}`);
      assert.equal(
        condition(pod, 'flotilla.io/StatusObserved')?.message,
        `status observed on gateway ${nodeName}`,
      );
      assert.equal(pod.status.containerStatuses[0].restartCount, 0);
    }
    for (const nodeName of gateways) {
      const byPod = await containersByPod(fleet.agent(nodeName).runtime);
      assert.deepEqual(Object.keys(byPod).sort(), podsOn(nodeName), `${nodeName} runs only its own pods`);
      started[nodeName] = byPod;
    }
  });

  it('stops a deleted pod on its gateway and lets the agent finish the deletion', async () => {
    const { runtime } = fleet.agent('gw-c');
    await fleet.createPod('doomed', 'gw-c');
    const pod = await fleet.runningPod('doomed');
    const res = await fleet.api.delete('/api/v1/namespaces/default/pods/doomed');
    assert.equal(res.status, 200, res.text);
    // Default grace period (30 s): only the agent's report that every container stopped ends it.
    assert.ok(res.json().metadata.deletionTimestamp);
    await eventually(async () => (await fleet.pod('doomed')) === undefined);
    const sandboxes = await runtime.listPodSandboxes();
    assert.ok(
      sandboxes.filter((s) => s.metadata.uid === pod.metadata.uid).every((s) => s.state === 'NOTREADY'),
      'sandbox stopped',
    );
    assert.deepEqual(await containersByPod(runtime), started['gw-c'], 'the other pods keep running');
  });

  it('adopts running pods when an agent restarts on the same data dir and runtime', async () => {
    const gw = fleet.agent('gw-b');
    await gw.agent.stop();
    assert.deepEqual(await containersByPod(gw.runtime), started['gw-b'], 'pods keep running without agent');
    // The hub sees that gateway, and only that one, go offline.
    await eventually(async () => condition((await fleet.node('gw-b'))!, 'Ready')?.status === 'Unknown');
    for (const name of ['gw-a', 'gw-c'])
      assert.equal(condition((await fleet.node(name))!, 'Ready')?.status, 'True', name);
    const restartedAt = Date.now();
    const again = await fleet.startAgent('gw-b');
    // The new agent reports the pods it found (a fresh observation), without touching them.
    await eventually(async () => {
      const pods = await Promise.all(podsOn('gw-b').map((name) => fleet.pod(name)));
      return pods.every((p) => p && observedAt(p) >= restartedAt);
    });
    assert.equal(again.agent.link.connected, true);
    await eventually(async () => {
      const node = (await fleet.node('gw-b'))!;
      return condition(node, 'Ready')?.status === 'True' && (node.spec.taints ?? []).length === 0;
    });
    assert.deepEqual(
      await containersByPod(again.runtime),
      started['gw-b'],
      'same containers, none recreated',
    );
    await allRunning();
    assert.deepEqual(await restartCounts(), noRestarts);
  });

  it('resyncs every gateway after a hub restart on the same data dir and port, without touching pods', async () => {
    const connects = (name: string) =>
      fleet.agent(name).logs.filter((line) => line.startsWith('hub-link: connected to')).length;
    const before = Object.fromEntries(gateways.map((name) => [name, connects(name)]));
    await fleet.restartHub();
    // Gateways may be back before the restart returns: beats from then on reach the new hub.
    const restartedAt = fleet.hub.startedAt;
    // Each agent noticed the loss and came back by itself.
    await eventually(() => gateways.every((name) => connects(name) > before[name]!), { timeoutMs: 10_000 });
    await eventually(async () => {
      const nodes = await Promise.all(gateways.map((name) => fleet.node(name)));
      return nodes.every((n) => n && condition(n, 'Ready')?.status === 'True');
    });
    await eventually(
      async () => {
        const leases = await Promise.all(gateways.map((name) => fleet.lease(name)));
        return leases.every((l) => l && Date.parse(l.spec.renewTime) >= restartedAt);
      },
      { timeoutMs: 12_000 },
    );
    // The new hub knows which revision each gateway runs.
    await eventually(() =>
      gateways.every(
        (name) =>
          fleet.hub.hub.edgeSync.appliedRevision(name) ===
          fleet.agent(name).agent.localState.desired()?.revision,
      ),
    );
    await allRunning();
    assert.deepEqual(await restartCounts(), noRestarts);
    for (const name of gateways)
      assert.deepEqual(await containersByPod(fleet.agent(name).runtime), started[name], `${name} untouched`);
  });

  it('runs pods created after the hub restart', async () => {
    const created: TestObject[] = [];
    for (const node of gateways) created.push(await fleet.createPod(`after-${node}`, node));
    for (const node of gateways) {
      const pod = await fleet.runningPod(`after-${node}`);
      assert.equal(pod.metadata.uid, created[gateways.indexOf(node)]!.metadata.uid);
      const byPod = await containersByPod(fleet.agent(node).runtime);
      assert.deepEqual(Object.keys(byPod).sort(), [`after-${node}`, ...podsOn(node)].sort());
    }
  });
});
