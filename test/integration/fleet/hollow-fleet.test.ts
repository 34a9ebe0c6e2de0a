import assert from 'node:assert/strict';
import { inIPv4Cidr } from '../../../api/ipv4.js';
import { HollowFleet } from '../../../bench/lib/hollow-fleet.js';
import type { TestObject } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

// A few hundred gateways, the hub and the fleet in this one process, within the default cluster
// CIDR's 256 /24 blocks. Seconds since desired-state protocol 2 (minutes with protocol 1, whose
// every gateway's state carried every other gateway's pod route): the deadlines are generous on
// purpose, a loaded CI machine must not fail it, and nothing here is timed.
const gateways = 200;
const replicas = 400;
const gatewaysPerSite = 50;

const isReady = (obj: TestObject) =>
  (obj.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );

describe('a fleet of hollow gateways against a hub with every controller', function () {
  this.timeout(900_000);
  let hub: TestHub;
  let fleet: HollowFleet;

  before(async () => {
    hub = await startTestHub(tempDir('hollow-fleet'), { controllers: 'all' });
    fleet = new HollowFleet({
      gateways,
      joinRate: 1_000,
      gatewaysPerSite,
      mqttUrl: hub.hub.mqtt.mqttUrl,
      joinString: hub.hub.mqtt.joinString,
    });
    await fleet.start();
  });
  after(async () => {
    await fleet?.stop();
    await hub?.close();
  });

  const list = async (path: string): Promise<TestObject[]> => {
    const res = await hub.api.get(path);
    assert.equal(res.status, 200, res.text);
    return res.json().items;
  };

  it('registers every gateway as a Ready Node with its own pod CIDR', async () => {
    const nodes = (await eventually(
      async () => {
        const items = await list('/api/v1/nodes');
        const ready = items.filter((n) => isReady(n) && n.spec?.podCIDR);
        return ready.length === gateways && items;
      },
      { timeoutMs: 400_000, intervalMs: 1_000 },
    )) as TestObject[];
    const cidrs = new Set(nodes.map((n) => n.spec.podCIDR));
    assert.equal(cidrs.size, gateways);
    for (const node of nodes) {
      assert.equal(node.metadata.labels?.['kubernetes.io/arch'], 'arm64');
      assert.equal(node.status.capacity.pods, '110');
    }
  });

  it("gives each gateway the pod routes of its site's other gateways, and no other site's", async () => {
    const names = fleet.names;
    const siteOf = (i: number) => Math.floor(i / gatewaysPerSite);
    await eventually(() => fleet.gateways.every((gw) => gw.podRoutes.size >= gatewaysPerSite - 1), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    for (const [i, gw] of fleet.gateways.entries()) {
      const peers = names.filter((_name, j) => siteOf(j) === siteOf(i) && j !== i);
      assert.deepEqual([...gw.podRoutes.keys()].sort(), peers.sort());
    }
  });

  it('runs a Deployment of a few hundred pods, each Running on its gateway with an IP from its pod CIDR', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hollow-load', namespace: 'default' },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'hollow-load' } },
        template: {
          metadata: { labels: { app: 'hollow-load' } },
          spec: {
            nodeSelector: { 'kubernetes.io/arch': 'arm64' },
            containers: [{ name: 'main', image: 'docker.io/library/busybox:1.36' }],
          },
        },
      },
    };
    const created = await hub.api.post('/apis/apps/v1/namespaces/default/deployments', deployment);
    assert.equal(created.status, 201, created.text);
    const pods = (await eventually(
      async () => {
        const items = await list('/api/v1/namespaces/default/pods?labelSelector=app%3Dhollow-load');
        const running = items.filter((p) => p.status?.phase === 'Running' && isReady(p));
        return running.length === replicas && items;
      },
      { timeoutMs: 400_000, intervalMs: 1_000 },
    )) as TestObject[];
    const nodes = new Map((await list('/api/v1/nodes')).map((n) => [n.metadata.name, n]));
    for (const pod of pods) {
      const node = nodes.get(pod.spec.nodeName)!;
      assert.ok(
        inIPv4Cidr(pod.status.podIP, node.spec.podCIDR),
        `${pod.status.podIP} in ${node.spec.podCIDR}`,
      );
      const internal = node.status.addresses.find((a: { type: string }) => a.type === 'InternalIP');
      assert.equal(pod.status.hostIP, internal.address);
    }
    const totals = fleet.totals();
    assert.equal(totals.pods, replicas);
    // Reported, not asserted: the figure the protocol work is meant to bring down.
    console.log(
      `      desired state: ${totals.desiredMessages} messages, ${(totals.desiredBytes / 1e6).toFixed(1)} MB in all, ` +
        `${Math.round(totals.desiredBytes / gateways / 1024)} KiB per gateway (${gateways} gateways, ${replicas} pods)`,
    );
    assert.ok(totals.desiredMessages >= gateways);
  });
});
