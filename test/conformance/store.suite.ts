// The behaviour every Store backend must show; each backend's test file runs it. Contract for
// makeStore: resolve to an opened store; `reopen` (persistent backends only) closes it and
// opens a new one on the same data; `cleanup` closes whatever is open and removes its files.
// The 410 test needs a watch window of at most 1000 events per resource.
import assert from 'node:assert/strict';
import { ApiError, type ErrorReason } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { ListOptions, Store, StoreEvent, Watch, WatchOptions } from '../../hub/store/store.js';

export interface StoreFixture {
  store: Store;
  reopen?: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

interface PodShape {
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  phase?: string;
}

function aPod(name: string, { namespace = 'default', labels, nodeName, phase }: PodShape = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'main', image: 'busybox' }], ...(nodeName ? { nodeName } : {}) },
    status: phase ? { phase } : {},
  };
}

function aNode(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} };
}

function aDeployment(name: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas: 1 },
  };
}

function anEvent(name: string, about: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', name: about, namespace: 'default' },
    reason: 'Scheduled',
    type: 'Normal',
  };
}

function withLabels(object: KubeObject, labels: Record<string, string>): KubeObject {
  const copy = structuredClone(object);
  copy.metadata.labels = labels;
  return copy;
}

function rv(object: KubeObject): number {
  return Number(object.metadata.resourceVersion);
}

function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

async function rejectsWith(promise: Promise<unknown>, reason: ErrorReason, message?: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    assert.equal(err.reason, reason);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

/** Attempt a mutation; a backend that freezes its objects makes it throw, which is fine too. */
function tryToMutate(mutate: () => void): void {
  try {
    mutate();
  } catch {
    // refused, as it may be
  }
}

/** `persistent`: the backend keeps data across a reopen, so the persistence cases apply to it. */
export function storeConformance(
  name: string,
  makeStore: () => Promise<StoreFixture>,
  { persistent = false }: { persistent?: boolean } = {},
): void {
  describe(`Store conformance: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    const watches: Watch[] = [];

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });

    afterEach(async () => {
      for (const watch of watches.splice(0)) watch.stop();
      await fixture.cleanup();
    });

    function record(resource: string, options: WatchOptions = {}): StoreEvent[] {
      const events: StoreEvent[] = [];
      watches.push(store.watch(resource, options, (event) => events.push(event)));
      return events;
    }

    async function names(resource: string, options: ListOptions): Promise<string[]> {
      return (await store.list(resource, options)).items.map((o) => o.metadata.name!);
    }

    describe('create, get, update and delete', () => {
      it('assigns a resourceVersion on create and serves the object back by key', async () => {
        const created = await store.create('pods', aPod('web'));
        assert.match(created.metadata.resourceVersion ?? '', /^\d+$/);
        assert.equal(created.metadata.name, 'web');
        assert.deepEqual(await store.get('pods', { namespace: 'default', name: 'web' }), created);
        assert.equal(store.currentResourceVersion(), created.metadata.resourceVersion);
      });

      it('returns undefined for an object that does not exist', async () => {
        assert.equal(await store.get('pods', { namespace: 'default', name: 'ghost' }), undefined);
        await store.create('pods', aPod('web'));
        assert.equal(await store.get('pods', { namespace: 'other', name: 'web' }), undefined);
      });

      it('refuses a second object under the same key with 409 AlreadyExists', async () => {
        await store.create('pods', aPod('web'));
        await rejectsWith(store.create('pods', aPod('web')), 'AlreadyExists', 'pods "web" already exists');
        await store.create('pods', aPod('web', { namespace: 'other' }));
      });

      it('hands out one increasing resourceVersion sequence across all resources', async () => {
        const written = [
          await store.create('pods', aPod('a')),
          await store.create('apps/deployments', aDeployment('d')),
          await store.create('nodes', aNode('n')),
          await store.update('pods', aPod('a', { phase: 'Running' })),
          await store.delete('nodes', { name: 'n' }),
        ];
        const versions = written.map(rv);
        assert.deepEqual(
          versions,
          [...versions].sort((a, b) => a - b),
        );
        assert.equal(new Set(versions).size, versions.length);
        assert.equal(store.currentResourceVersion(), String(versions.at(-1)));
      });

      it('replaces the object on update and gives it a newer resourceVersion', async () => {
        const created = await store.create('pods', aPod('web'));
        const updated = await store.update('pods', {
          ...aPod('web', { phase: 'Running' }),
          metadata: created.metadata,
        });
        assert.ok(rv(updated) > rv(created));
        assert.deepEqual((await store.get('pods', { namespace: 'default', name: 'web' }))?.status, {
          phase: 'Running',
        });
      });

      it('answers 404 NotFound to an update or delete of a missing object, naming group and resource', async () => {
        await rejectsWith(store.update('pods', aPod('ghost')), 'NotFound', 'pods "ghost" not found');
        await rejectsWith(
          store.delete('apps/deployments', { namespace: 'default', name: 'ghost' }),
          'NotFound',
          'deployments.apps "ghost" not found',
        );
      });

      it('answers 409 Conflict to an update carrying a stale resourceVersion', async () => {
        const created = await store.create('apps/deployments', aDeployment('d'));
        await store.update('apps/deployments', aDeployment('d'));
        await rejectsWith(
          store.update('apps/deployments', { ...aDeployment('d'), metadata: created.metadata }),
          'Conflict',
          'Operation cannot be fulfilled on deployments.apps "d": the object has been modified; please apply your changes to the latest version and try again',
        );
        await rejectsWith(
          store.update('apps/deployments', aDeployment('d'), {
            resourceVersion: created.metadata.resourceVersion,
          }),
          'Conflict',
        );
      });

      it('updates unconditionally when no resourceVersion is given', async () => {
        await store.create('pods', aPod('web'));
        await store.update('pods', aPod('web', { phase: 'Pending' }));
        const updated = await store.update('pods', aPod('web', { phase: 'Running' }));
        assert.deepEqual(updated.status, { phase: 'Running' });
      });

      it('returns the deleted object carrying the deletion resourceVersion', async () => {
        const created = await store.create('nodes', aNode('gw-1'));
        const deleted = await store.delete('nodes', { name: 'gw-1' });
        assert.equal(deleted.metadata.name, 'gw-1');
        assert.ok(rv(deleted) > rv(created));
        assert.equal(store.currentResourceVersion(), deleted.metadata.resourceVersion);
        assert.equal(await store.get('nodes', { name: 'gw-1' }), undefined);
      });

      it('refuses a delete whose resourceVersion precondition is stale and keeps the object', async () => {
        const created = await store.create('pods', aPod('web'));
        const updated = await store.update('pods', aPod('web'));
        const key = { namespace: 'default', name: 'web' };
        await rejectsWith(
          store.delete('pods', key, { resourceVersion: created.metadata.resourceVersion }),
          'Conflict',
        );
        assert.ok(await store.get('pods', key));
        await store.delete('pods', key, { resourceVersion: updated.metadata.resourceVersion });
      });
    });

    describe('list', () => {
      it('returns items sorted by namespace and name at the current resourceVersion', async () => {
        for (const [ns, pod] of [
          ['b', 'x'],
          ['a', 'z'],
          ['b', 'a'],
          ['a', 'b'],
        ] as const) {
          await store.create('pods', aPod(pod, { namespace: ns }));
        }
        const listed = await store.list('pods');
        assert.deepEqual(listed.items.map(keyOf), ['a/b', 'a/z', 'b/a', 'b/x']);
        assert.equal(listed.resourceVersion, store.currentResourceVersion());
        assert.equal(listed.continue, undefined);
        assert.deepEqual(await names('pods', { namespace: 'b' }), ['a', 'x']);
        assert.deepEqual(await names('pods', { namespace: 'c' }), []);
      });

      it('filters by equality and set-based label selectors', async () => {
        await store.create('pods', aPod('web', { labels: { app: 'web', tier: 'front' } }));
        await store.create('pods', aPod('db', { labels: { app: 'db', tier: 'back' } }));
        await store.create('pods', aPod('bare'));
        assert.deepEqual(await names('pods', { labelSelector: 'app=web' }), ['web']);
        assert.deepEqual(await names('pods', { labelSelector: 'app!=web' }), ['bare', 'db']);
        assert.deepEqual(await names('pods', { labelSelector: 'tier in (front,back)' }), ['db', 'web']);
        assert.deepEqual(await names('pods', { labelSelector: 'app notin (web)' }), ['bare', 'db']);
        assert.deepEqual(await names('pods', { labelSelector: 'app' }), ['db', 'web']);
        assert.deepEqual(await names('pods', { labelSelector: '!app' }), ['bare']);
        assert.deepEqual(await names('pods', { labelSelector: 'app=db,tier=front' }), []);
      });

      it('filters by field selectors on metadata, spec and status', async () => {
        await store.create('pods', aPod('a', { nodeName: 'gw-1', phase: 'Running' }));
        await store.create('pods', aPod('b', { nodeName: 'gw-2', phase: 'Pending', namespace: 'edge' }));
        await store.create('pods', aPod('c', { phase: 'Pending' }));
        assert.deepEqual(await names('pods', { fieldSelector: 'metadata.name=b' }), ['b']);
        assert.deepEqual(await names('pods', { fieldSelector: 'metadata.namespace=default' }), ['a', 'c']);
        assert.deepEqual(await names('pods', { fieldSelector: 'spec.nodeName=gw-1' }), ['a']);
        assert.deepEqual(await names('pods', { fieldSelector: 'spec.nodeName=' }), ['c']);
        assert.deepEqual(await names('pods', { fieldSelector: 'status.phase!=Running' }), ['c', 'b']);
      });

      it('filters events by their involved object', async () => {
        await store.create('events', anEvent('e1', 'web'));
        await store.create('events', anEvent('e2', 'db'));
        assert.deepEqual(await names('events', { fieldSelector: 'involvedObject.name=db' }), ['e2']);
      });

      it('answers 400 BadRequest to a malformed selector', async () => {
        await rejectsWith(store.list('pods', { labelSelector: 'app in (' }), 'BadRequest');
        await rejectsWith(store.list('pods', { fieldSelector: 'metadata.name' }), 'BadRequest');
      });

      it('pages with limit and continue, covering every item exactly once in key order', async () => {
        for (let i = 0; i < 23; i++) await store.create('pods', aPod(`p${String(i).padStart(2, '0')}`));
        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        const first = await store.list('pods', { limit: 5 });
        do {
          const page = pages === 0 ? first : await store.list('pods', { limit: 5, continue: token });
          pages++;
          seen.push(...page.items.map((o) => o.metadata.name!));
          assert.equal(page.resourceVersion, first.resourceVersion);
          if (page.continue) assert.equal(page.remainingItemCount, 23 - seen.length);
          else assert.equal(page.remainingItemCount, undefined);
          token = page.continue;
        } while (token);
        assert.equal(pages, 5);
        assert.deepEqual(seen, [...seen].sort());
        assert.equal(new Set(seen).size, 23);
      });

      it('counts the remaining items of a namespace only, not of the namespaces after it', async () => {
        for (const namespace of ['a', 'shop', 'shopping', 'zoo'])
          for (let i = 0; i < 4; i++) await store.create('pods', aPod(`p${i}`, { namespace }));
        const first = await store.list('pods', { namespace: 'shop', limit: 3 });
        assert.deepEqual(first.items.map(keyOf), ['shop/p0', 'shop/p1', 'shop/p2']);
        assert.equal(first.remainingItemCount, 1);
        const last = await store.list('pods', { namespace: 'shop', limit: 3, continue: first.continue });
        assert.deepEqual(last.items.map(keyOf), ['shop/p3']);
        assert.equal(last.continue, undefined);
        const all = await store.list('pods', { limit: 15 });
        assert.equal(all.remainingItemCount, 1);
      });

      it('pages through a namespace with a selector', async () => {
        for (let i = 0; i < 6; i++) {
          await store.create(
            'pods',
            aPod(`p${i}`, { namespace: 'shop', labels: { even: String(i % 2 === 0) } }),
          );
          await store.create('pods', aPod(`p${i}`, { namespace: 'zoo', labels: { even: 'true' } }));
        }
        const options = { namespace: 'shop', labelSelector: 'even=true', limit: 2 };
        const first = await store.list('pods', options);
        assert.deepEqual(first.items.map(keyOf), ['shop/p0', 'shop/p2']);
        // Unknown with a selector, as in Kubernetes (counting would scan the rest).
        assert.equal(first.remainingItemCount, undefined);
        assert.ok(first.continue);
        const second = await store.list('pods', { ...options, continue: first.continue });
        assert.deepEqual(second.items.map(keyOf), ['shop/p4']);
        assert.equal(second.continue, undefined);
      });

      it('returns every object that exists throughout paging exactly once, despite concurrent writes', async () => {
        for (let i = 0; i < 20; i++) await store.create('pods', aPod(`s${String(i).padStart(2, '0')}`));
        const seen: string[] = [];
        let token: string | undefined;
        let round = 0;
        do {
          const page = await store.list('pods', { limit: 3, continue: token });
          seen.push(...page.items.map((o) => o.metadata.name!));
          token = page.continue;
          await store.create('pods', aPod(`s${String(round).padStart(2, '0')}-late`));
          await store.create('pods', aPod(`s${String(19 - round).padStart(2, '0')}-late`));
          round++;
        } while (token);
        const stable = seen.filter((n) => !n.endsWith('-late'));
        assert.deepEqual(
          stable,
          Array.from({ length: 20 }, (_, i) => `s${String(i).padStart(2, '0')}`),
        );
        assert.deepEqual(seen, [...seen].sort());
      });

      it('answers 400 BadRequest to a malformed continue token', async () => {
        await rejectsWith(store.list('pods', { continue: 'not a token!' }), 'BadRequest');
        const garbage = Buffer.from('{"nope":1}').toString('base64url');
        await rejectsWith(store.list('pods', { continue: garbage }), 'BadRequest');
      });
    });

    describe('watch', () => {
      it('starts from undefined or "0" with ADDED for every current object, then live changes', async () => {
        await store.create('pods', aPod('a'));
        await store.create('pods', aPod('b', { namespace: 'other' }));
        const all = record('pods');
        const inDefault = record('pods', { resourceVersion: '0', namespace: 'default' });
        const updated = await store.update('pods', aPod('a', { phase: 'Running' }));
        assert.deepEqual(
          all.map((e) => [e.type, keyOf(e.object)]),
          [
            ['ADDED', 'default/a'],
            ['ADDED', 'other/b'],
            ['MODIFIED', 'default/a'],
          ],
        );
        assert.deepEqual(
          inDefault.map((e) => e.type),
          ['ADDED', 'MODIFIED'],
        );
        assert.deepEqual(all.at(-1)?.object, updated);
      });

      it('delivers a change to watchers before the write resolves', async () => {
        const events = record('pods', { resourceVersion: store.currentResourceVersion() });
        const created = await store.create('pods', aPod('a'));
        assert.deepEqual(events, [{ type: 'ADDED', object: created }]);
        const deleted = await store.delete('pods', { namespace: 'default', name: 'a' });
        assert.deepEqual(events.at(-1), { type: 'DELETED', object: deleted });
      });

      it('replays every change after a given resourceVersion, then continues live', async () => {
        await store.create('pods', aPod('a'));
        const from = store.currentResourceVersion();
        await store.create('nodes', aNode('n'));
        const b = await store.create('pods', aPod('b'));
        const a = await store.update('pods', aPod('a', { phase: 'Running' }));
        const events = record('pods', { resourceVersion: from });
        const gone = await store.delete('pods', { namespace: 'default', name: 'b' });
        assert.deepEqual(events, [
          { type: 'ADDED', object: b },
          { type: 'MODIFIED', object: a },
          { type: 'DELETED', object: gone },
        ]);
      });

      it('misses nothing between a list and a watch from its resourceVersion, under concurrent writes', async () => {
        const writes: Promise<unknown>[] = [];
        for (let i = 0; i < 30; i++) writes.push(store.create('pods', aPod(`p${i}`)));
        for (let i = 0; i < 10; i++) writes.push(store.update('pods', aPod(`p${i}`, { phase: 'Running' })));
        for (let i = 20; i < 30; i++)
          writes.push(store.delete('pods', { namespace: 'default', name: `p${i}` }));
        await writes[12];
        const listed = await store.list('pods');
        const state = new Map(listed.items.map((o) => [keyOf(o), o.metadata.resourceVersion]));
        const events = record('pods', { resourceVersion: listed.resourceVersion });
        await Promise.all(writes);
        for (const event of events) {
          assert.ok(rv(event.object) > Number(listed.resourceVersion), 'an event the list already covered');
          if (event.type === 'DELETED') state.delete(keyOf(event.object));
          else state.set(keyOf(event.object), event.object.metadata.resourceVersion);
        }
        const versions = events.map((e) => rv(e.object));
        assert.deepEqual(
          versions,
          [...versions].sort((a, b) => a - b),
        );
        const final = await store.list('pods');
        assert.deepEqual(state, new Map(final.items.map((o) => [keyOf(o), o.metadata.resourceVersion])));
      });

      it('reports objects entering and leaving a label selector as ADDED and DELETED', async () => {
        const events = record('pods', { labelSelector: 'app=web' });
        const pod = await store.create('pods', aPod('p', { labels: { app: 'db' } }));
        const entered = await store.update('pods', withLabels(pod, { app: 'web' }));
        const changed = await store.update('pods', withLabels(entered, { app: 'web', v: '2' }));
        const left = await store.update('pods', withLabels(changed, { app: 'db' }));
        await store.delete('pods', { namespace: 'default', name: 'p' });
        assert.deepEqual(events, [
          { type: 'ADDED', object: entered },
          { type: 'MODIFIED', object: changed },
          { type: 'DELETED', object: left },
        ]);
      });

      it('reports a pod leaving a field selector when it is bound elsewhere', async () => {
        const events = record('pods', { fieldSelector: 'spec.nodeName=' });
        await store.create('pods', aPod('p'));
        const bound = await store.update('pods', aPod('p', { nodeName: 'gw-1' }));
        assert.deepEqual(
          events.map((e) => e.type),
          ['ADDED', 'DELETED'],
        );
        assert.deepEqual(events.at(-1)?.object, bound);
      });

      it('replays with the same selector semantics a live watcher sees', async () => {
        await store.create('nodes', aNode('n')); // so that `from` is not '0', which means "current state"
        const from = store.currentResourceVersion();
        const live = record('pods', { labelSelector: 'app in (web)', resourceVersion: from });
        const pod = await store.create('pods', aPod('p', { labels: { app: 'web' } }));
        const moved = await store.update('pods', withLabels(pod, { app: 'db' }));
        await store.update('pods', withLabels(moved, { app: 'web' }));
        await store.delete('pods', { namespace: 'default', name: 'p' });
        const replayed = record('pods', { labelSelector: 'app in (web)', resourceVersion: from });
        assert.deepEqual(
          live.map((e) => e.type),
          ['ADDED', 'DELETED', 'ADDED', 'DELETED'],
        );
        assert.deepEqual(replayed, live);
      });

      it('answers 410 Expired, synchronously, to a resourceVersion older than the watch window', async () => {
        const first = await store.create('configmaps', {
          metadata: { name: 'c', namespace: 'default' },
          data: {},
        });
        let expiredAfter: number | undefined;
        for (let i = 1; i <= 1100 && expiredAfter === undefined; i++) {
          await store.update('configmaps', {
            metadata: { name: 'c', namespace: 'default' },
            data: { i: String(i) },
          });
          if (i % 50 !== 0) continue;
          try {
            store.watch('configmaps', { resourceVersion: first.metadata.resourceVersion }, () => {}).stop();
          } catch (err) {
            assert.ok(err instanceof ApiError);
            assert.equal(err.reason, 'Expired');
            assert.equal(err.code, 410);
            expiredAfter = i;
          }
        }
        assert.ok(expiredAfter !== undefined, 'the watch window never moved past the first write');
        // The current resourceVersion is always within the window.
        record('configmaps', { resourceVersion: store.currentResourceVersion() });
      });

      it('answers 400 BadRequest to a non-numeric resourceVersion or a malformed selector', () => {
        for (const options of [{ resourceVersion: 'abc' }, { labelSelector: '=x' }, { fieldSelector: 'x' }]) {
          assert.throws(
            () => store.watch('pods', options, () => {}),
            (err: unknown) => err instanceof ApiError && err.reason === 'BadRequest',
          );
        }
      });

      it('keeps serving the store and other watchers when a callback throws', async () => {
        watches.push(
          store.watch('pods', {}, () => {
            throw new Error('a broken watcher');
          }),
        );
        const events = record('pods');
        await store.create('pods', aPod('a'));
        await store.create('pods', aPod('b'));
        assert.deepEqual(
          events.map((e) => e.object.metadata.name),
          ['a', 'b'],
        );
      });

      it('stops delivering after stop()', async () => {
        const events: StoreEvent[] = [];
        const watch = store.watch('pods', {}, (event) => events.push(event));
        await store.create('pods', aPod('a'));
        watch.stop();
        await store.create('pods', aPod('b'));
        assert.equal(events.length, 1);
      });
    });

    describe('isolation', () => {
      it('does not let callers change stored state through objects they passed in or got back', async () => {
        const input = aPod('web', { labels: { app: 'web' } });
        const events = record('pods');
        const created = await store.create('pods', input);
        input.metadata.labels!.app = 'changed-input';
        tryToMutate(() => {
          created.metadata.labels!.app = 'changed-created';
        });
        const got = await store.get('pods', { namespace: 'default', name: 'web' });
        tryToMutate(() => {
          got!.metadata.labels!.app = 'changed-got';
        });
        const listed = (await store.list('pods')).items[0]!;
        tryToMutate(() => {
          listed.metadata.labels!.app = 'changed-listed';
          (listed.spec as { containers: unknown[] }).containers.push({ name: 'sidecar' });
        });
        tryToMutate(() => {
          events[0]!.object.metadata.labels!.app = 'changed-event';
        });
        const now = await store.get('pods', { namespace: 'default', name: 'web' });
        assert.deepEqual(now?.metadata.labels, { app: 'web' });
        assert.equal((now!.spec as { containers: unknown[] }).containers.length, 1);
        assert.deepEqual(await names('pods', { labelSelector: 'app=web' }), ['web']);
      });
    });

    // Registered only for persistent backends: an in-memory store has nothing to reopen, and a
    // test that is not applicable is left out rather than reported as skipped.
    if (persistent)
      describe('persistence', () => {
        it('keeps objects and their resourceVersions across a reopen', async () => {
          const pod = await store.create(
            'pods',
            aPod('web', { labels: { 'app.kubernetes.io/name': 'web' } }),
          );
          const deployment = await store.create('apps/deployments', aDeployment('d'));
          await store.create('nodes', aNode('gone'));
          await store.delete('nodes', { name: 'gone' });
          store = await fixture.reopen!();
          assert.deepEqual(await store.get('pods', { namespace: 'default', name: 'web' }), pod);
          assert.deepEqual((await store.list('apps/deployments')).items, [deployment]);
          assert.deepEqual((await store.list('nodes')).items, []);
        });

        it('keeps resourceVersions increasing after a reopen even when the newest object was deleted', async () => {
          await store.create('pods', aPod('a'));
          await store.create('pods', aPod('b'));
          const deleted = await store.delete('pods', { namespace: 'default', name: 'b' });
          store = await fixture.reopen!();
          assert.equal(store.currentResourceVersion(), deleted.metadata.resourceVersion);
          const next = await store.create('pods', aPod('c'));
          assert.ok(rv(next) > rv(deleted));
        });

        it('answers 410 after a reopen to a watch from before it, and serves one from its current version', async () => {
          const first = await store.create('pods', aPod('a'));
          await store.create('pods', aPod('b'));
          store = await fixture.reopen!();
          assert.throws(
            () => store.watch('pods', { resourceVersion: first.metadata.resourceVersion }, () => {}),
            (err: unknown) => err instanceof ApiError && err.reason === 'Expired',
          );
          const events = record('pods', { resourceVersion: store.currentResourceVersion() });
          await store.create('pods', aPod('c'));
          assert.deepEqual(
            events.map((e) => e.object.metadata.name),
            ['c'],
          );
        });
      });
  });
}
