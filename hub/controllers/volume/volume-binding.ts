// Static binding of claims to volumes, as kube's PersistentVolume controller does it, as pure
// functions: which volume a Pending claim binds to (same class, every access mode it asks for,
// same volume mode, its selector, enough capacity; a volume reserved for it first, then the
// smallest), and which phase a volume is in given the claims that exist.
import { type LabelSelector, labelSelectorMatcher } from '../../../api/label-selector.js';
import { parseQuantity, quantityError } from '../../../api/quantity.js';
import type { KubeObject } from '../../../api/types.js';

export interface ClaimRef {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface Volume extends KubeObject {
  spec?: {
    capacity?: Record<string, string | number>;
    accessModes?: string[];
    storageClassName?: string;
    volumeMode?: string;
    claimRef?: ClaimRef;
    persistentVolumeReclaimPolicy?: string;
    [source: string]: unknown;
  };
  status?: { phase?: string; message?: string; reason?: string };
}

export interface Claim extends KubeObject {
  spec?: {
    accessModes?: string[];
    resources?: { requests?: Record<string, string | number> };
    storageClassName?: string;
    volumeMode?: string;
    volumeName?: string;
    selector?: LabelSelector;
  };
  status?: { phase?: string; accessModes?: string[]; capacity?: Record<string, string | number> };
}

export const boundByController = 'pv.kubernetes.io/bound-by-controller';
export const bindCompleted = 'pv.kubernetes.io/bind-completed';

function bytes(value: unknown): number {
  return (typeof value === 'string' || typeof value === 'number') && quantityError(value) === undefined
    ? parseQuantity(value)
    : 0;
}

export const volumeSize = (volume: Volume): number => bytes(volume.spec?.capacity?.storage);
export const claimRequest = (claim: Claim): number => bytes(claim.spec?.resources?.requests?.storage);

/** A claim without a class, or with "", asks for a volume without one (no default class here). */
const classOf = (obj: { spec?: { storageClassName?: string } }) => obj.spec?.storageClassName ?? '';

/** The volume is reserved for this claim: its claimRef names it (and its uid, once known). */
export function reservedFor(volume: Volume, claim: Claim): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  return (
    ref.namespace === claim.metadata.namespace &&
    ref.name === claim.metadata.name &&
    (!ref.uid || ref.uid === claim.metadata.uid)
  );
}

/** Whether the volume could hold the claim, ignoring who else holds it. */
export function satisfies(volume: Volume, claim: Claim): boolean {
  if (classOf(volume) !== classOf(claim)) return false;
  if ((volume.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const offered = new Set(volume.spec?.accessModes ?? []);
  if (!(claim.spec?.accessModes ?? []).every((mode) => offered.has(mode))) return false;
  if (volumeSize(volume) < claimRequest(claim)) return false;
  if (claim.spec?.selector) {
    try {
      if (!labelSelectorMatcher(claim.spec.selector)(volume.metadata.labels)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** kube's findBestMatchForClaim: a volume reserved for the claim first, else the smallest free one. */
export function findBestVolume(claim: Claim, volumes: readonly Volume[]): Volume | undefined {
  const usable = volumes.filter(
    (v) => !v.metadata.deletionTimestamp && v.status?.phase !== 'Failed' && satisfies(v, claim),
  );
  const reserved = usable.find((v) => reservedFor(v, claim));
  if (reserved) return reserved;
  return usable
    .filter((v) => !v.spec?.claimRef)
    .sort((a, b) => volumeSize(a) - volumeSize(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1))[0];
}

/** Why a claim stays Pending, for its FailedBinding event. */
export function noVolumeMessage(claim: Claim): string {
  const storageClass = classOf(claim);
  return storageClass === ''
    ? 'no persistent volumes available for this claim and no storage class is set'
    : `no persistent volumes available for this claim with storage class "${storageClass}", and this hub has no dynamic provisioner`;
}

/**
 * What a volume's claim reference means now: Available without a claim (or reserved for one
 * not yet made), Bound while its claim exists and names it (or is being bound to it), Released
 * once its claim is gone, Unbind when its claim went to another volume.
 */
export function volumePhase(
  volume: Volume,
  claim: Claim | undefined,
): 'Available' | 'Bound' | 'Released' | 'Unbind' {
  const ref = volume.spec?.claimRef;
  if (!ref?.uid) return 'Available';
  if (!claim || claim.metadata.uid !== ref.uid) return 'Released';
  const named = claim.spec?.volumeName;
  return !named || named === volume.metadata.name ? 'Bound' : 'Unbind';
}

export function claimRefTo(claim: Claim): ClaimRef {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    namespace: claim.metadata.namespace,
    name: claim.metadata.name,
    uid: claim.metadata.uid,
    resourceVersion: claim.metadata.resourceVersion,
  };
}
