import assert from 'node:assert/strict';
import { aDeployment, type TestObject } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import { condition, OfflineFleet } from './offline-fleet.js';

const controllers = [
  'namespace',
  'node-ipam',
  'node-lifecycle',
  'taint-eviction',
  'pod-gc',
  'replicaset',
  'deployment',
  'garbage-collector',
  'scheduler',
];
const gateways = ['gw-a', 'gw-b'];

describe('replace-after: a Deployment whose gateway loses the hub moves to another one', function () {
  this.timeout(60_000);
  let fleet: OfflineFleet;

  const sensorPods = async (): Promise<TestObject[]> =>
    (await fleet.api.get('/api/v1/namespaces/default/pods?labelSelector=app%3Dsensor')).json().items;
  const runningEverywhere = async () => {
    const all: string[] = [];
    for (const name of gateways) all.push(...(await fleet.runningOn(name)));
    return all.sort();
  };

  before(async () => {
    fleet = await OfflineFleet.start(controllers);
    for (const name of gateways) await fleet.startGateway(name);
    await eventually(async () => {
      for (const name of gateways) {
        if (condition(await fleet.node(name), 'Ready')?.status !== 'True') return false;
        if (!(await fleet.node(name))?.spec?.podCIDR) return false;
      }
      return true;
    });
  });
  after(async () => {
    await fleet?.close();
  });

  it('replaces the pod elsewhere after the duration, and leaves exactly one copy once the gateway is back', async () => {
    const deployment = aDeployment('sensor');
    deployment.spec.replicas = 1;
    deployment.spec.selector = { matchLabels: { app: 'sensor' } };
    deployment.spec.template.metadata = {
      labels: { app: 'sensor' },
      annotations: { 'flotilla.io/disconnect': 'replace-after=2s' },
    };
    deployment.spec.template.spec.containers[0].image = 'docker.io/library/busybox:1.36';
    const res = await fleet.api.post('/apis/apps/v1/namespaces/default/deployments', deployment);
    assert.equal(res.status, 201, res.text);

    const first = (await eventually(
      async () => {
        const [pod, ...others] = await sensorPods();
        return others.length === 0 && condition(pod, 'Ready')?.status === 'True' && pod;
      },
      { timeoutMs: 15_000 },
    )) as TestObject;
    // The annotation became the tolerations the taint manager counts down.
    assert.deepEqual(first.spec.tolerations.map((t: any) => [t.key, t.effect, t.tolerationSeconds]).sort(), [
      ['node.kubernetes.io/not-ready', 'NoExecute', 2],
      ['node.kubernetes.io/unreachable', 'NoExecute', 2],
    ]);
    const lost = first.spec.nodeName as string;
    const other = gateways.find((name) => name !== lost)!;
    assert.deepEqual(await fleet.runningOn(lost), [first.metadata.name]);

    fleet.gateway(lost).link.sever();
    // The hub evicts the copy it cannot reach and its ReplicaSet starts one on the other gateway;
    // the cut-off gateway stops its own copy when its 2 s are up.
    const second = (await eventually(
      async () => {
        const pods = await sensorPods();
        const replacement = pods.find((p) => p.spec.nodeName === other);
        return condition(replacement, 'Ready')?.status === 'True' && replacement;
      },
      { timeoutMs: 20_000 },
    )) as TestObject;
    const evicted = (await fleet.pod(first.metadata.name!))!;
    assert.ok(evicted.metadata.deletionTimestamp, 'the old copy is being deleted');
    assert.equal(condition(evicted, 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
    await eventually(async () => (await fleet.runningOn(lost)).length === 0, { timeoutMs: 10_000 });

    fleet.gateway(lost).link.restore();
    // Back online, the gateway finalizes the old copy instead of starting it again.
    await eventually(async () => (await fleet.pod(first.metadata.name!)) === undefined, {
      timeoutMs: 15_000,
    });
    assert.deepEqual(
      (await sensorPods()).map((p) => p.metadata.name),
      [second.metadata.name],
    );
    assert.deepEqual(await runningEverywhere(), [second.metadata.name]);
    assert.deepEqual(await fleet.runningOn(lost), []);
    // Ready comes back with the node status the gateway sends on reconnecting, which may land
    // after its pods have converged.
    await eventually(async () => condition(await fleet.node(lost), 'Ready')?.status === 'True', {
      timeoutMs: 10_000,
    });
    const restarted = fleet.gateway(lost).logs.filter((line) => line.includes('starting it again'));
    assert.deepEqual(restarted, [], 'the old copy never ran again');
  });
});
