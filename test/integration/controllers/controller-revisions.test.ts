// ControllerRevision history shared by DaemonSets and StatefulSets, against a real registry.
import assert from 'node:assert/strict';
import { syncCurrentRevision, templateHash } from '../../../hub/controllers/objects/controller-revisions.js';
import { aStatefulSet } from '../../helpers/builders.js';
import { freshNamespace, get, startWorkloadHub, type WorkloadHub } from './workload-hub.js';

const sets = { group: 'apps', resource: 'statefulsets' };
const revisions = { group: 'apps', resource: 'controllerrevisions' };

describe('Controller revisions', () => {
  let w: WorkloadHub;
  before(async () => {
    w = await startWorkloadHub();
  });
  after(async () => {
    await w.close();
  });

  it('takes a revision an earlier sync wrote, not yet in the caller’s list, as the same revision, not a collision', async () => {
    const ns = await freshNamespace(w.registry);
    const set = aStatefulSet('db');
    set.metadata.namespace = ns;
    const stored = await w.registry.for(sets).create(ns, set);
    const first = await syncCurrentRevision(w.registry, stored, [], sets);
    // The informer has not caught up: the caller still knows no revision.
    const second = await syncCurrentRevision(w.registry, stored, [], sets);
    assert.equal(second, first);
    assert.equal((await get(w.registry, sets, ns, 'db')).status?.collisionCount, undefined);
    const revision = await get(w.registry, revisions, ns, `db-${first}`);
    assert.equal(revision.revision, 1);
  });

  it('counts a collision when the name is taken by another template', async () => {
    const ns = await freshNamespace(w.registry);
    const set = aStatefulSet('db');
    set.metadata.namespace = ns;
    const stored = await w.registry.for(sets).create(ns, set);
    await w.registry.for(revisions).create(ns, {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: `db-${templateHash((stored.spec as any).template)}`, namespace: ns },
      data: { spec: { template: {} } },
      revision: 1,
    });
    await assert.rejects(syncCurrentRevision(w.registry, stored, [], sets), /collides with another template/);
    assert.equal((await get(w.registry, sets, ns, 'db')).status.collisionCount, 1);
  });
});
