// An object as agents get it (trimForAgent) and its fingerprint, the latter worked out once per
// stored version: informers hold frozen objects and replace them on every change, so a version
// is an object identity. A gateway's desired state is recomputed for every change to any of its
// pods; without this each of its other pods was serialised and hashed again each time.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/** Metadata and content an agent needs; everything server-owned or status-like is dropped. */
export function trimForAgent(obj: KubeObject): KubeObject {
  const { status: _status, metadata, ...rest } = obj;
  const { resourceVersion: _rv, managedFields: _mf, selfLink: _sl, ...meta } = metadata;
  if (meta.annotations && lastApplied in meta.annotations) {
    const { [lastApplied]: _la, ...annotations } = meta.annotations;
    if (Object.keys(annotations).length > 0) meta.annotations = annotations;
    else delete meta.annotations;
  }
  const form: KubeObject = { ...rest, metadata: meta };
  // A pod carries spec.ephemeralContainers only when it has some: an empty list stored by a
  // patch would cost its gateway bytes in every snapshot for nothing.
  const spec = form.spec as { ephemeralContainers?: unknown } | undefined;
  if (Array.isArray(spec?.ephemeralContainers) && spec.ephemeralContainers.length === 0) {
    const { ephemeralContainers: _none, ...others } = spec;
    form.spec = others;
  }
  return form;
}

/** Fingerprints by stored object: a short string each, not a kept copy of each pod's form. */
const prints = new WeakMap<KubeObject, string>();
/** The stored object each live form was trimmed from (forms are short-lived). */
const sources = new WeakMap<KubeObject, KubeObject>();

/** trimForAgent(obj), remembered as coming from `obj` when that is frozen (a stored version). */
export function agentFormOf(obj: KubeObject): KubeObject {
  const form = trimForAgent(obj);
  if (Object.isFrozen(obj)) sources.set(form, obj);
  return form;
}

/**
 * A digest of the form's JSON: equal forms, equal fingerprints. Kept per stored version, so a
 * form is taken as it was trimmed (forms are read, never changed).
 */
export function fingerprintOf(form: KubeObject): string {
  const source = sources.get(form);
  const cached = source && prints.get(source);
  if (cached) return cached;
  const print = createHash('sha1').update(JSON.stringify(form)).digest('base64');
  if (source) prints.set(source, print);
  return print;
}
