// A malformed object already in the store (written before validation caught it, or by a bug)
// must not take anything else down with it: not the hub, not the scheduler, not the desired
// state of the gateway it is bound to, not a restart over that store.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../../api/types.js';
import { aPod } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import { condition, Fleet } from './fleet-harness.js';

/** Straight into the store, past the API's validation, as an object stored long ago would be. */
async function storePoisonedPod(fleet: Fleet, name: string, spec: Record<string, unknown>): Promise<void> {
  const pod = aPod(name);
  const obj: KubeObject = {
    ...pod,
    metadata: { ...pod.metadata, uid: randomUUID(), creationTimestamp: new Date().toISOString() },
    spec: { ...pod.spec, ...spec },
    status: { phase: 'Pending' },
  };
  await fleet.hub.hub.registry.store.create('pods', obj);
}

async function eventsAbout(fleet: Fleet, name: string): Promise<string[]> {
  const res = await fleet.api.get('/api/v1/namespaces/default/events');
  return res
    .json()
    .items.filter((e: { involvedObject: { name: string } }) => e.involvedObject.name === name)
    .map((e: { reason: string }) => e.reason);
}

describe('a malformed pod in the store', function () {
  this.timeout(40_000);
  let fleet: Fleet;

  before(async () => {
    fleet = await Fleet.start(['scheduler']);
    await fleet.startAgent('gw-a');
    await eventually(async () => condition((await fleet.node('gw-a'))!, 'Ready')?.status === 'True');
  });
  after(async () => {
    await fleet?.close();
  });

  it('does not stop a later good pod on the same gateway from running', async () => {
    await storePoisonedPod(fleet, 'poison-bound', { nodeName: 'gw-a', containers: [null] });
    await storePoisonedPod(fleet, 'poison-ports', {
      nodeName: 'gw-a',
      containers: [{ name: 'app', image: 'nginx:1.27', ports: [null] }],
    });
    await storePoisonedPod(fleet, 'poison-volumes', { nodeName: 'gw-a', volumes: [null] });
    await fleet.createPod('good-after-poison', 'gw-a');
    try {
      await fleet.runningPod('good-after-poison');
    } catch (e) {
      console.log(fleet.hubLogs.join('\n'));
      console.log(fleet.agent('gw-a').logs.join('\n'));
      throw e;
    }
  });

  it('does not stop the scheduler from placing other pods', async () => {
    await storePoisonedPod(fleet, 'poison-unbound', { containers: [null] });
    await storePoisonedPod(fleet, 'poison-unbound-ports', {
      containers: [{ name: 'app', image: 'nginx:1.27', ports: [null] }],
    });
    const pod = aPod('scheduled-after-poison');
    pod.spec.containers[0].image = 'docker.io/library/busybox:1.36';
    const res = await fleet.api.post('/api/v1/namespaces/default/pods', pod);
    assert.equal(res.status, 201, res.text);
    const running = await fleet.runningPod('scheduled-after-poison');
    assert.equal(running.spec.nodeName, 'gw-a');
    await eventually(async () => (await eventsAbout(fleet, 'poison-unbound')).includes('FailedScheduling'));
    assert.ok(fleet.hubLogs.some((line) => line.includes('Pod default/poison-unbound')));
  });

  it('lets a hub restart over that store start and serve', async () => {
    await fleet.restartHub();
    const res = await fleet.api.get('/api/v1/namespaces/default/pods');
    assert.equal(res.status, 200, res.text);
    const pod = aPod('scheduled-after-restart');
    pod.spec.containers[0].image = 'docker.io/library/busybox:1.36';
    assert.equal((await fleet.api.post('/api/v1/namespaces/default/pods', pod)).status, 201);
    await fleet.runningPod('scheduled-after-restart');
    await fleet.runningPod('good-after-poison');
  });
});
