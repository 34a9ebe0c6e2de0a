// Static binding on an in-process hub: claims bind to fitting volumes, volumes go Available,
// Bound, Released; a claim nothing fits stays Pending and says why in an event.
import assert from 'node:assert/strict';
import { PersistentVolumeController } from '../../../hub/controllers/volume/persistent-volume-controller.js';
import { aPersistentVolume, aPersistentVolumeClaim } from '../../helpers/builders.js';
import { freshNamespace, get, list, settles, startWorkloadHub, type WorkloadHub } from './workload-hub.js';

const volumes = { group: '', resource: 'persistentvolumes' };
const claims = { group: '', resource: 'persistentvolumeclaims' };
const events = { group: '', resource: 'events' };

describe('PersistentVolume controller', function () {
  this.timeout(20_000);
  let w: WorkloadHub;
  let ns: string;
  let prefix: string;
  before(async () => {
    w = await startWorkloadHub([(ctx) => new PersistentVolumeController(ctx)]);
  });
  after(async () => {
    await w.close();
  });
  beforeEach(async () => {
    ns = await freshNamespace(w.registry);
    // Volumes are cluster-wide: each test uses its own storage class and names.
    prefix = ns;
  });

  const createVolume = (name: string, size: string) =>
    w.registry.for(volumes).create(undefined, aPersistentVolume(`${prefix}-${name}`, size, prefix));
  const createClaim = (name: string, size: string) => {
    const claim = aPersistentVolumeClaim(name, size, prefix);
    claim.metadata.namespace = ns;
    return w.registry.for(claims).create(ns, claim);
  };
  const volume = (name: string) =>
    get(w.registry, volumes, undefined as unknown as string, `${prefix}-${name}`);

  it('marks a new volume Available', async () => {
    await createVolume('a', '1Gi');
    await settles(async () => assert.equal((await volume('a')).status.phase, 'Available'));
  });

  it('binds a claim to the smallest volume that fits, both ways, and reports it Bound', async () => {
    await createVolume('big', '10Gi');
    await createVolume('fits', '2Gi');
    await createVolume('small', '500Mi');
    const claim = await createClaim('data', '1Gi');
    await settles(async () => {
      const bound = await get(w.registry, claims, ns, 'data');
      assert.equal(bound.spec.volumeName, `${prefix}-fits`);
      assert.deepEqual(bound.status, {
        phase: 'Bound',
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '2Gi' },
      });
      assert.equal(bound.metadata.annotations['pv.kubernetes.io/bind-completed'], 'yes');
      const pv = await volume('fits');
      assert.equal(pv.status.phase, 'Bound');
      assert.deepEqual(
        [pv.spec.claimRef.namespace, pv.spec.claimRef.name, pv.spec.claimRef.uid],
        [ns, 'data', claim.metadata.uid],
      );
      assert.equal((await volume('big')).status.phase, 'Available');
    });
  });

  it('keeps a claim nothing fits Pending with a FailedBinding event, and binds it when a volume comes', async () => {
    await createVolume('tiny', '100Mi');
    await createClaim('wants-more', '5Gi');
    await settles(async () => {
      assert.equal((await get(w.registry, claims, ns, 'wants-more')).status.phase, 'Pending');
      const event = (await list(w.registry, events, ns)).find((e) => e.involvedObject.name === 'wants-more');
      assert.equal(event?.reason, 'FailedBinding');
      assert.match(event?.message, /no persistent volumes available for this claim with storage class/);
    });
    await createVolume('roomy', '5Gi');
    await settles(async () => {
      assert.equal((await get(w.registry, claims, ns, 'wants-more')).spec.volumeName, `${prefix}-roomy`);
    });
  });

  it('releases a Retain volume once its claim is deleted, and does not bind it again', async () => {
    await createVolume('kept', '1Gi');
    await createClaim('first', '1Gi');
    await settles(async () => assert.equal((await volume('kept')).status.phase, 'Bound'));
    await w.registry.for(claims).delete(ns, 'first', { dryRun: false });
    await settles(async () => assert.equal((await volume('kept')).status.phase, 'Released'));
    await createClaim('second', '1Gi');
    await settles(async () =>
      assert.equal((await get(w.registry, claims, ns, 'second')).status.phase, 'Pending'),
    );
    assert.equal((await volume('kept')).spec.claimRef.name, 'first');
  });

  it('gives one volume to only one of two claims', async () => {
    await createVolume('only', '1Gi');
    await Promise.all([createClaim('one', '1Gi'), createClaim('two', '1Gi')]);
    await settles(async () => {
      const phases = await Promise.all(
        ['one', 'two'].map(async (n) => (await get(w.registry, claims, ns, n)).status?.phase),
      );
      assert.deepEqual(phases.sort(), ['Bound', 'Pending']);
    });
  });
});
