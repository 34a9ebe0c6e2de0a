import assert from 'node:assert/strict';
import { validateCreate, validateStatusUpdate, validateUpdate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import {
  aPersistentVolume,
  aPersistentVolumeClaim,
  defaulted,
  summarize,
  type TestObject,
} from '../../helpers/builders.js';

function errorsOf(kind: string, obj: TestObject, change: (obj: TestObject) => void): string[] {
  change(obj);
  return summarize(validateCreate(validationOf(kind), defaulted(kind, obj)));
}

describe('PersistentVolume validation', () => {
  const pvErrors = (change: (pv: TestObject) => void) =>
    errorsOf('PersistentVolume', aPersistentVolume(), change);

  it('accepts a hostPath volume and defaults it to Retain, Filesystem and Pending', () => {
    const pv = defaulted('PersistentVolume', aPersistentVolume());
    assert.deepEqual(summarize(validateCreate(validationOf('PersistentVolume'), pv)), []);
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain');
    assert.equal(pv.spec.volumeMode, 'Filesystem');
    assert.equal(pv.status.phase, 'Pending');
  });

  it('requires capacity, access modes and a volume type', () => {
    assert.deepEqual(
      pvErrors((pv) => {
        delete pv.spec.capacity;
        delete pv.spec.accessModes;
        delete pv.spec.hostPath;
      }),
      [
        'spec.accessModes: Required value',
        'spec.capacity: Required value',
        'spec: Required value: must specify a volume type',
      ],
    );
  });

  it('names the bad access mode, capacity key and quantity', () => {
    assert.deepEqual(
      pvErrors((pv) => {
        pv.spec.accessModes = ['ReadWriteSometimes'];
        pv.spec.capacity = { storage: '0', cpu: '1' };
      }),
      [
        'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
        'spec.capacity: Unsupported value: "cpu": supported values: "storage"',
      ],
    );
  });

  it('refuses two volume types and a local volume without node affinity', () => {
    assert.deepEqual(
      pvErrors((pv) => {
        pv.spec.local = { path: '/mnt/disk' };
      }),
      ['spec.local: Forbidden: may not specify more than 1 volume type'],
    );
    assert.deepEqual(
      pvErrors((pv) => {
        delete pv.spec.hostPath;
        pv.spec.local = { path: '/mnt/disk' };
      }),
      ['spec.nodeAffinity: Required value: Local volume requires node affinity'],
    );
  });

  it('refuses an unknown reclaim policy and a storage class that is no DNS subdomain', () => {
    assert.deepEqual(
      pvErrors((pv) => {
        pv.spec.persistentVolumeReclaimPolicy = 'Keep';
        pv.spec.storageClassName = 'Fast_Disks';
      }),
      [
        'spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"',
        "spec.storageClassName: Invalid value: \"Fast_Disks\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    );
  });

  it('keeps the volume source fixed after creation', () => {
    const old = defaulted('PersistentVolume', aPersistentVolume());
    old.metadata.resourceVersion = '1';
    const changed = structuredClone(old);
    changed.spec.hostPath.path = '/elsewhere';
    assert.deepEqual(summarize(validateUpdate(validationOf('PersistentVolume'), changed, old)), [
      'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
    ]);
  });

  it('checks the phase a status write sets', () => {
    const old = defaulted('PersistentVolume', aPersistentVolume());
    const next = structuredClone(old);
    next.status.phase = 'Lost';
    assert.deepEqual(summarize(validateStatusUpdate(validationOf('PersistentVolume'), next, old)), [
      'status.phase: Unsupported value: "Lost": supported values: "Pending", "Available", "Bound", "Released", "Failed"',
    ]);
  });
});

describe('PersistentVolumeClaim validation', () => {
  const pvcErrors = (change: (pvc: TestObject) => void) =>
    errorsOf('PersistentVolumeClaim', aPersistentVolumeClaim(), change);

  it('accepts a claim for 1Gi', () => {
    assert.deepEqual(
      pvcErrors(() => {}),
      [],
    );
  });

  it('requires access modes and a storage request, in kube-apiserver words', () => {
    assert.deepEqual(
      pvcErrors((pvc) => {
        delete pvc.spec.accessModes;
        delete pvc.spec.resources;
      }),
      [
        'spec.accessModes: Required value: at least 1 access mode is required',
        'spec.resources[storage]: Required value',
      ],
    );
  });

  it('refuses a malformed or zero storage request', () => {
    assert.deepEqual(
      pvcErrors((pvc) => {
        pvc.spec.resources.requests.storage = 'lots';
      }),
      [
        'spec.resources[storage]: Invalid value: "lots": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
      ],
    );
  });

  it('lets the binder set volumeName once but keeps the rest of the spec', () => {
    const old = defaulted('PersistentVolumeClaim', aPersistentVolumeClaim());
    const bound = structuredClone(old);
    bound.spec.volumeName = 'disk-1';
    assert.deepEqual(summarize(validateUpdate(validationOf('PersistentVolumeClaim'), bound, old)), []);
    const moved = structuredClone(bound);
    moved.spec.volumeName = 'disk-2';
    moved.spec.accessModes = ['ReadWriteMany'];
    assert.deepEqual(summarize(validateUpdate(validationOf('PersistentVolumeClaim'), moved, bound)), [
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
  });
});
