// Cells PersistentVolumes and PersistentVolumeClaims share in `kubectl get`: access modes in
// kubectl's short forms, a storage quantity, and the unset volume attributes class.
import { listOf, recordOf } from './field-readers.js';

const shortModes: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `RWO,ROX`: each mode once, always in this order (kube's GetAccessModesAsString). */
export function accessModesText(modes: unknown): string {
  const present = new Set(listOf<string>(modes));
  return shortModes
    .filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

/** The `storage` entry of a resource map, as written; '' when absent. */
export function storageText(resources: unknown): string {
  const value = recordOf(resources).storage;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** kubectl prints `<unset>` when no volume attributes class is named. */
export function attributesClassText(name: unknown): string {
  return typeof name === 'string' && name !== '' ? name : '<unset>';
}
