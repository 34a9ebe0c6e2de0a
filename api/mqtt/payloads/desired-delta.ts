// Changes to a node's own desired state travel as deltas: revision `from` → `revision`, the
// objects added or changed (whole, keyed by namespace/name) and the keys removed, and the pod
// network when it changed. The agent applies a delta only onto exactly revision `from`; any
// other base is a gap it fills with a resync (the full snapshot on `desired`). The diff and its
// application are pure and live here, so hub and agent cannot disagree on what a delta means.
import { type FieldError, invalidValue, typeInvalid } from '../../errors.js';
import type { KubeObject } from '../../types.js';
import { needCount, needRecord, needString, objectPayload, optString, type Validator } from './checks.js';
import {
  checkObjects,
  checkPodCidrs,
  checkSegment,
  type DesiredState,
  desiredStateLists,
  maxDigestLength,
} from './desired-state.js';

export type DesiredList = (typeof desiredStateLists)[number];

export type DesiredNetwork = Pick<DesiredState, 'podCIDR' | 'podCIDRs' | 'segment'>;

export interface DesiredDelta {
  protocol: number;
  node: string;
  /** The revision this delta applies to; the agent must hold exactly it. */
  from: number;
  /** The revision after applying it. `from` equal to `revision`: nothing changed ("you are current"). */
  revision: number;
  /** Objects added or changed, whole (same shapes as in the snapshot). */
  set?: Partial<Record<DesiredList, KubeObject[]>>;
  /** Objects gone, as "namespace/name". */
  removed?: Partial<Record<DesiredList, string[]>>;
  /** The node's pod network and segment, whole, when any of it changed (a field left out: none). */
  network?: DesiredNetwork;
  /** The digest of the state at `revision` (DesiredState.digest). */
  digest?: string;
}

export function objectKeyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

function networkOf(state: DesiredState): DesiredNetwork {
  return {
    ...(state.podCIDR ? { podCIDR: state.podCIDR } : {}),
    ...(state.podCIDRs ? { podCIDRs: state.podCIDRs } : {}),
    ...(state.segment ? { segment: state.segment } : {}),
  };
}

/**
 * What the hub remembers of a published state to diff the next one against: a fingerprint per
 * object and of the network, not the objects (the informers hold those).
 */
export interface DesiredPrint {
  revision: number;
  objects: Record<DesiredList, Map<string, string>>;
  network: string;
}

/** A digest of an object as it travels (equal for equal JSON); the hub caches it per object. */
export type Fingerprint = (obj: KubeObject) => string;

export function printOf(state: DesiredState, fingerprint: Fingerprint): DesiredPrint {
  const objects = {} as DesiredPrint['objects'];
  for (const list of desiredStateLists) {
    objects[list] = new Map(state[list].map((obj) => [objectKeyOf(obj), fingerprint(obj)]));
  }
  return { revision: state.revision, objects, network: JSON.stringify(networkOf(state)) };
}

/** Whether two prints hold the same objects and network (revisions aside). */
export function samePrint(a: DesiredPrint, b: DesiredPrint): boolean {
  if (a.network !== b.network) return false;
  return desiredStateLists.every((list) => {
    const [x, y] = [a.objects[list], b.objects[list]];
    if (x.size !== y.size) return false;
    for (const [key, print] of x) if (y.get(key) !== print) return false;
    return true;
  });
}

/** The delta from what `prev` fingerprints to `next` (the full own state of the same node). */
export function diffDesired(prev: DesiredPrint, next: DesiredState, fingerprint: Fingerprint): DesiredDelta {
  const delta: DesiredDelta = {
    protocol: next.protocol,
    node: next.node,
    from: prev.revision,
    revision: next.revision,
  };
  for (const list of desiredStateLists) {
    const before = prev.objects[list];
    const set = next[list].filter((obj) => before.get(objectKeyOf(obj)) !== fingerprint(obj));
    const present = new Set(next[list].map(objectKeyOf));
    const removed = [...before.keys()].filter((key) => !present.has(key));
    if (set.length > 0) delta.set = { ...delta.set, [list]: set };
    if (removed.length > 0) delta.removed = { ...delta.removed, [list]: removed };
  }
  const network = networkOf(next);
  if (prev.network !== JSON.stringify(network)) delta.network = network;
  if (next.digest !== undefined) delta.digest = next.digest;
  return delta;
}

function byKey(a: KubeObject, b: KubeObject): number {
  const [ka, kb] = [objectKeyOf(a), objectKeyOf(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** `state` with `delta` applied; the caller has checked delta.from === state.revision. */
export function applyDelta(state: DesiredState, delta: DesiredDelta): DesiredState {
  const next: DesiredState = { ...state, protocol: delta.protocol, revision: delta.revision };
  if (delta.digest === undefined) delete next.digest;
  else next.digest = delta.digest;
  for (const list of desiredStateLists) {
    const set = delta.set?.[list] ?? [];
    const removed = delta.removed?.[list] ?? [];
    if (set.length === 0 && removed.length === 0) continue;
    const objects = new Map(state[list].map((obj) => [objectKeyOf(obj), obj]));
    for (const key of removed) objects.delete(key);
    for (const obj of set) objects.set(objectKeyOf(obj), obj);
    next[list] = [...objects.values()].sort(byKey);
  }
  if (delta.network) {
    delete next.podCIDR;
    delete next.podCIDRs;
    delete next.segment;
    Object.assign(next, delta.network);
  }
  return next;
}

function checkKeys(errs: FieldError[], value: unknown, path: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    errs.push(typeInvalid(path, typeof value, 'array'));
    return;
  }
  value.forEach((key, i) => {
    needString(errs, key, `${path}[${i}]`, 317);
  });
}

export const validateDesiredDelta: Validator<DesiredDelta> = objectPayload((errs, body) => {
  needCount(errs, body.protocol, 'protocol');
  needString(errs, body.node, 'node', 253);
  const from = needCount(errs, body.from, 'from');
  const revision = needCount(errs, body.revision, 'revision');
  if (from !== undefined && revision !== undefined && revision < from)
    errs.push(invalidValue('revision', revision, 'must not be less than from'));
  const set = body.set === undefined ? undefined : needRecord(errs, body.set, 'set');
  const removed = body.removed === undefined ? undefined : needRecord(errs, body.removed, 'removed');
  for (const list of desiredStateLists) {
    if (set?.[list] !== undefined) checkObjects(errs, set[list], `set.${list}`, list === 'pods');
    checkKeys(errs, removed?.[list], `removed.${list}`);
  }
  optString(errs, body.digest, 'digest', maxDigestLength);
  if (body.network !== undefined) {
    const network = needRecord(errs, body.network, 'network');
    if (network) {
      checkPodCidrs(errs, network);
      checkSegment(errs, network.segment);
    }
  }
});
