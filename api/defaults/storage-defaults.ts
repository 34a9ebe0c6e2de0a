// core/v1 PersistentVolume and PersistentVolumeClaim defaults (kube's SetDefaults_PersistentVolume,
// _PersistentVolumeClaim and _PersistentVolumeClaimSpec). A new object starts Pending; the
// volume binder moves it on.
import type { KubeObject } from '../types.js';
import type { JsonRecord } from '../validation/field-readers.js';
import { defaultString, objectAt } from './set-default.js';

export function defaultPersistentVolume(obj: KubeObject): void {
  const spec = objectAt(obj, 'spec');
  if (spec) {
    defaultString(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    defaultString(spec, 'volumeMode', 'Filesystem');
  }
  const status = objectAt(obj, 'status');
  if (status) defaultString(status, 'phase', 'Pending');
}

/** A claim, or a StatefulSet's claim template (which Kubernetes defaults the same way). */
export function defaultPersistentVolumeClaim(obj: KubeObject | JsonRecord): void {
  const spec = objectAt(obj, 'spec');
  if (spec) defaultString(spec, 'volumeMode', 'Filesystem');
  const status = objectAt(obj, 'status');
  if (status) defaultString(status, 'phase', 'Pending');
}
