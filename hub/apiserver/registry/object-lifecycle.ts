// What the API server owns in every object's metadata: uid, creationTimestamp, generation,
// names from generateName, and which parts of an update a client may change
// (Kubernetes API conventions: spec vs status, "generation is bumped on spec changes only").
import { randomInt, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import type { KindDefinition } from '../../kinds/kind-definition.js';

/**
 * Subresources an update goes through: `status` writes only .status; `finalize` only a
 * namespace's spec.finalizers; `binding` assigns a pod to a node (spec.nodeName is otherwise
 * immutable); `ephemeralcontainers` only a pod's spec.ephemeralContainers.
 */
export type UpdateSubresource = 'status' | 'finalize' | 'binding' | 'ephemeralcontainers';

// kube's names.SimpleNameGenerator alphabet: no vowels, no look-alikes.
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function generateNameSuffix(): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += suffixAlphabet[randomInt(suffixAlphabet.length)];
  return suffix;
}

/** RFC 3339 with second precision, as Kubernetes serialises metav1.Time. */
export function kubeTime(date: Date): string {
  // Second precision: the text changes once a second, and the hub asks for it thousands of times.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastText = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}
let lastSecond = Number.NaN;
let lastText = '';

export function prepareForCreate(obj: KubeObject, kind: KindDefinition, now: Date): void {
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = meta.generateName + generateNameSuffix();
  meta.uid = randomUUID();
  meta.creationTimestamp = kubeTime(now);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.managedFields;
  delete meta.selfLink;
  if (hasSpec(obj)) meta.generation = 1;
  else delete meta.generation;
  if (kind.clearStatusOnCreate) delete obj.status;
}

/**
 * Builds the object to store from an update request: server-owned metadata comes from the
 * stored object; spec and status come from the request or the stored object depending on
 * whether the status subresource is being written.
 */
export function prepareForUpdate(
  requested: KubeObject,
  old: KubeObject,
  kind: KindDefinition,
  subresource: UpdateSubresource | undefined,
): KubeObject {
  let next: KubeObject;
  if (subresource === 'ephemeralcontainers') {
    next = withEphemeralContainersOf(requested, old);
  } else if (subresource === 'binding') {
    // pods/binding writes spec.nodeName and the PodScheduled condition in one step.
    next = requested;
  } else if (subresource === 'status') {
    next = structuredClone(old) as KubeObject;
    if ('status' in requested) next.status = requested.status;
    else delete next.status;
  } else if (subresource === 'finalize') {
    next = structuredClone(old) as KubeObject;
    const finalizers = (requested.spec as { finalizers?: unknown } | undefined)?.finalizers;
    next.spec = {
      ...((old.spec as object | undefined) ?? {}),
      finalizers: Array.isArray(finalizers) ? finalizers : [],
    };
  } else {
    next = requested;
    // The status is written only through the status subresource.
    if (kind.info.subresources.includes('status')) {
      if (old.status === undefined) delete next.status;
      else next.status = structuredClone(old.status);
    }
  }
  const meta = next.metadata;
  const oldMeta = old.metadata;
  meta.name = oldMeta.name;
  if (oldMeta.namespace !== undefined) meta.namespace = oldMeta.namespace;
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  copyOrDelete(meta, oldMeta, 'deletionTimestamp');
  copyOrDelete(meta, oldMeta, 'deletionGracePeriodSeconds');
  copyOrDelete(meta, oldMeta, 'generation');
  delete meta.managedFields;
  return next;
}

/**
 * pods/ephemeralcontainers writes spec.ephemeralContainers only: everything else, metadata
 * included, stays as stored (kube's dropNonEphemeralContainerUpdates).
 */
function withEphemeralContainersOf(requested: KubeObject, old: KubeObject): KubeObject {
  const next = structuredClone(old) as KubeObject;
  const wanted = (requested.spec as { ephemeralContainers?: unknown } | undefined)?.ephemeralContainers;
  const spec = { ...((old.spec as object | undefined) ?? {}) } as Record<string, unknown>;
  if (wanted === undefined || wanted === null) delete spec.ephemeralContainers;
  else spec.ephemeralContainers = structuredClone(wanted);
  next.spec = spec;
  return next;
}

/**
 * Bumps generation when the spec changed. Called after defaulting, as kube-apiserver compares
 * only decoded (so defaulted) objects: a body that leaves out defaulted fields — a PUT of the
 * original manifest, a patch replacing an atomic list such as a StatefulSet's
 * volumeClaimTemplates — is no change.
 */
export function bumpGeneration(next: KubeObject, old: KubeObject): void {
  const generation = old.metadata.generation;
  if (hasSpec(next) && generation !== undefined && specChanged(next, old)) {
    next.metadata.generation = generation + 1;
  }
}

function copyOrDelete(target: Record<string, unknown>, source: Record<string, unknown>, key: string): void {
  if (source[key] === undefined) delete target[key];
  else target[key] = source[key];
}

function hasSpec(obj: KubeObject): boolean {
  return obj.spec !== undefined || obj.template !== undefined;
}

/** Everything except metadata and status counts as spec for generation purposes. */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const { metadata: _ma, status: _sa, ...specA } = a;
  const { metadata: _mb, status: _sb, ...specB } = b;
  return !isDeepStrictEqual(specA, specB);
}

/** Two objects are the same write when nothing but resourceVersion differs. */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  const { resourceVersion: _ra, ...metaA } = a.metadata;
  const { resourceVersion: _rb, ...metaB } = b.metadata;
  return isDeepStrictEqual({ ...a, metadata: metaA }, { ...b, metadata: metaB });
}
