import assert from 'node:assert/strict';
import { type HubContactView, podsToHold } from '../../../edge-agent/pods/disconnect-holds.js';
import { aContainer, aPod, deleting, desiredState, type TestPod } from './pod-builders.js';
import { aHarness, type PodHarness } from './pod-harness.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');

function annotated(name: string, policy: string | undefined, spec: Partial<TestPod['spec']> = {}): TestPod {
  const pod = aPod(name, spec);
  if (policy) pod.metadata.annotations = { 'flotilla.io/disconnect': policy };
  return pod;
}

describe('Disconnect holds (pure)', () => {
  const pods = [
    annotated('kept', undefined),
    annotated('explicit-keep', 'keep'),
    annotated('stops', 'stop-after=2s'),
    annotated('moves', 'replace-after=10s'),
    deleting(annotated('going', 'stop-after=1s')),
  ];

  it('holds nothing while the hub is in reach', () => {
    assert.equal(podsToHold(pods, undefined, t0 + 3_600_000).size, 0);
  });

  it('holds each pod once its own time offline has run out, never before', () => {
    const held = (after: number) => [...podsToHold(pods, t0, t0 + after).keys()];
    assert.deepEqual(held(1_999), []);
    assert.deepEqual(held(2_000), ['uid-stops']);
    assert.deepEqual(held(9_999), ['uid-stops']);
    assert.deepEqual(held(10_000), ['uid-stops', 'uid-moves']);
  });

  it('says why, since when and what happens next', () => {
    const holds = podsToHold(pods, t0, t0 + 60_000);
    assert.deepEqual(holds.get('uid-stops'), {
      policy: { action: 'stop-after', seconds: 2 },
      since: t0 + 2_000,
      message:
        'Stopped by flotilla.io/disconnect=stop-after=2s: no contact with the hub since 2026-01-01T00:00:00Z; it starts again once the hub is back',
    });
    assert.match(
      holds.get('uid-moves')!.message,
      /replace-after=10s: .*the hub replaces it on another gateway/,
    );
  });
});

/** A hub link whose state the test sets. */
class FakeContact implements HubContactView {
  since: number | undefined;
  regained = 0;
  offlineSince(): number | undefined {
    return this.since;
  }
  lose(at: number): void {
    this.since = at;
  }
  hear(): void {
    this.since = undefined;
    this.regained++;
  }
}

describe('PodManager: disconnect policy', () => {
  let h: PodHarness;
  const contact = new FakeContact();

  beforeEach(async () => {
    contact.since = undefined;
    contact.regained = 0;
    h = await aHarness({ hubContact: contact });
  });

  afterEach(async () => {
    await h.cleanup();
  });

  const sandboxesOf = async (name: string) =>
    (await h.runtime.listPodSandboxes()).filter((s) => s.metadata.name === name);
  const runningApps = async () => (await h.runtimeContainers()).filter((c) => c.state === 'RUNNING');

  it('stops a stop-after pod when its time offline runs out, and starts it afresh when the hub is back', async () => {
    h.setDesired(desiredState([annotated('stops', 'stop-after=2s'), annotated('stays', undefined)]));
    await h.sync(3);
    assert.equal((await runningApps()).length, 2);

    contact.lose(h.clock.ms);
    h.clock.advance(1_900);
    await h.sync(2);
    assert.equal((await runningApps()).length, 2, 'not before its time');

    h.clock.advance(100);
    await h.sync(3);
    assert.deepEqual(await sandboxesOf('stops'), [], 'stopped and removed');
    assert.equal((await sandboxesOf('stays')).length, 1);
    const held = h.status('stops');
    assert.equal(held.phase, 'Pending');
    assert.equal(held.reason, 'Disconnected');
    assert.match(String(held.message), /no contact with the hub since 2026-01-01T00:00:00Z/);
    assert.deepEqual(h.container('stops').state, {
      waiting: { reason: 'Disconnected', message: held.message },
    });
    assert.ok(h.reasons().includes('Disconnected'));

    // Still offline: nothing restarts it.
    h.clock.advance(60_000);
    await h.sync(3);
    assert.deepEqual(await sandboxesOf('stops'), []);

    contact.hear();
    await h.sync(3);
    const [sandbox] = await sandboxesOf('stops');
    assert.equal(sandbox?.state, 'READY');
    assert.equal(h.status('stops').phase, 'Running');
    assert.equal(h.status('stops').reason, undefined);
    assert.equal(h.container('stops').restartCount, 0);
    assert.ok(h.reasons().includes('Reconnected'));
  });

  it('restarts held pods of every restart policy and reruns their init containers', async () => {
    const init = [aContainer('setup', { command: ['true'] })];
    const pods = ['Never', 'OnFailure'].map((restartPolicy) =>
      annotated(`p-${restartPolicy.toLowerCase()}`, 'stop-after=1s', {
        restartPolicy: restartPolicy as 'Never' | 'OnFailure',
        initContainers: init,
      }),
    );
    h.setDesired(desiredState(pods));
    await h.sync(4);
    for (const c of await h.runtimeContainers('setup'))
      if (c.state === 'RUNNING') h.runtime.exitContainer(c.id, 0);
    await h.sync(4);
    assert.equal((await runningApps()).length, 2);

    contact.lose(h.clock.ms);
    h.clock.advance(1_000);
    await h.sync(3);
    assert.equal((await h.runtime.listPodSandboxes()).length, 0);
    for (const pod of pods) assert.equal(h.status(pod.metadata.name!).phase, 'Pending', 'not Succeeded');

    contact.hear();
    await h.sync(4);
    assert.equal((await h.runtimeContainers('setup')).length, 2, 'init containers ran again');
    const ready = (await h.runtime.listPodSandboxes()).filter((s) => s.state === 'READY');
    assert.deepEqual(ready.map((s) => s.metadata.name).sort(), ['p-never', 'p-onfailure']);
  });

  it('never holds a pod that already finished', async () => {
    h.setDesired(desiredState([annotated('job', 'stop-after=1s', { restartPolicy: 'Never' })]));
    await h.sync(3);
    h.runtime.exitContainer((await h.running('app')).id, 0);
    await h.sync(3);
    assert.equal(h.status('job').phase, 'Succeeded');
    contact.lose(h.clock.ms);
    h.clock.advance(5_000);
    await h.sync(3);
    contact.hear();
    await h.sync(3);
    assert.equal(h.status('job').phase, 'Succeeded');
    assert.equal((await h.runtimeContainers('app')).length, 1, 'not run again');
  });

  it('finalizes a held replace-after pod the hub deleted meanwhile, without starting it', async () => {
    const pod = annotated('moves', 'replace-after=1s');
    h.setDesired(desiredState([pod]));
    await h.sync(3);
    contact.lose(h.clock.ms);
    h.clock.advance(1_000);
    await h.sync(3);
    assert.deepEqual(await sandboxesOf('moves'), []);

    h.setDesired(desiredState([deleting(pod)], { revision: 2 }));
    contact.hear();
    await h.sync(3);
    assert.deepEqual(await sandboxesOf('moves'), []);
    assert.equal(h.statuses.filter((s) => s.name === 'moves' && s.finalized).length, 1);
  });

  it('sends every status once more after the hub is back, unchanged ones included', async () => {
    h.setDesired(desiredState([annotated('a', undefined), annotated('b', undefined)]));
    await h.sync(3);
    const before = h.statuses.length;
    await h.sync(2);
    assert.equal(h.statuses.length, before, 'unchanged: nothing sent');
    contact.lose(h.clock.ms);
    contact.hear();
    h.clock.advance(1_000);
    await h.sync(2);
    assert.deepEqual(
      h.statuses.slice(before).map((s) => [s.name, s.observedAt]),
      [
        ['a', h.clock.ms],
        ['b', h.clock.ms],
      ],
    );
  });
});
