// PersistentVolume rules (kube's ValidatePersistentVolumeSpec and ValidatePersistentVolumeUpdate).
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../errors.js';
import type { KubeObject } from '../types.js';
import { jsonEqual } from './deep-equal.js';
import { immutable, requiredBecause } from './field-errors.js';
import { isRecord, type JsonRecord, readRecord, readString } from './field-readers.js';
import {
  validateAccessModes,
  validateStorageClassName,
  validateStorageQuantity,
  validateVolumeMode,
} from './persistent-volume-claim.js';

export const persistentVolumeSources = [
  'awsElasticBlockStore',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'csi',
  'fc',
  'flexVolume',
  'flocker',
  'gcePersistentDisk',
  'glusterfs',
  'hostPath',
  'iscsi',
  'local',
  'nfs',
  'photonPersistentDisk',
  'portworxVolume',
  'quobyte',
  'rbd',
  'scaleIO',
  'storageos',
  'vsphereVolume',
];

const reclaimPolicies = ['Delete', 'Recycle', 'Retain'];
const phases = ['Pending', 'Available', 'Bound', 'Released', 'Failed'];

export function validatePersistentVolume(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes'));
  errs.push(...validateCapacity(spec.capacity));
  errs.push(...validateSource(spec));
  const policy = readString(errs, spec.persistentVolumeReclaimPolicy, 'spec.persistentVolumeReclaimPolicy');
  if (policy && !reclaimPolicies.includes(policy)) {
    errs.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, reclaimPolicies));
  }
  errs.push(...validateStorageClassName(spec.storageClassName, 'spec.storageClassName'));
  errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  if (old) errs.push(...validateVolumeUpdate(spec, isRecord(old.spec) ? old.spec : {}));
  return errs;
}

export function validatePersistentVolumeStatus(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = readRecord(errs, obj.status, 'status') ?? {};
  const phase = readString(errs, status.phase, 'status.phase');
  if (phase && !phases.includes(phase)) errs.push(notSupported('status.phase', phase, phases));
  return errs;
}

function validateCapacity(value: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const capacity = readRecord(errs, value, 'spec.capacity');
  if (!capacity || Object.keys(capacity).length === 0) return [...errs, required('spec.capacity')];
  for (const [key, quantity] of Object.entries(capacity)) {
    if (key !== 'storage') errs.push(notSupported('spec.capacity', key, ['storage']));
    else errs.push(...validateStorageQuantity(quantity, 'spec.capacity[storage]'));
  }
  return errs;
}

/** Exactly one source; hostPath and local (what a gateway can offer) are checked in detail. */
function validateSource(spec: JsonRecord): FieldError[] {
  const present = persistentVolumeSources.filter((s) => spec[s] !== undefined && spec[s] !== null);
  if (present.length === 0) return [requiredBecause('spec', 'must specify a volume type')];
  const errs = present
    .slice(1)
    .map((source) => forbidden(`spec.${source}`, 'may not specify more than 1 volume type'));
  const [source] = present as [string];
  const body = readRecord(errs, spec[source], `spec.${source}`) ?? {};
  if (source === 'hostPath' || source === 'local') {
    const path = readString(errs, body.path, `spec.${source}.path`);
    if (!path) errs.push(required(`spec.${source}.path`));
    else if (path.split('/').includes('..')) {
      errs.push(invalidValue(`spec.${source}.path`, path, "must not contain '..'"));
    }
  }
  if (source === 'local' && !isRecord(spec.nodeAffinity)) {
    errs.push(requiredBecause('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  return errs;
}

/** The source, its mode and (once set) its node affinity are fixed: pods may already use them. */
function validateVolumeUpdate(spec: JsonRecord, old: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  const source = (s: JsonRecord) =>
    Object.fromEntries(persistentVolumeSources.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
  if (!jsonEqual(source(spec), source(old))) {
    errs.push(
      forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'),
    );
  }
  if (!jsonEqual(spec.volumeMode, old.volumeMode)) {
    errs.push(immutable('spec.volumeMode', spec.volumeMode));
  }
  if (old.nodeAffinity !== undefined && !jsonEqual(spec.nodeAffinity, old.nodeAffinity)) {
    errs.push(immutable('spec.nodeAffinity', spec.nodeAffinity));
  }
  return errs;
}
