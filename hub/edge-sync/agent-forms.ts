// An object as agents get it (trimForAgent) and its fingerprint, worked out once per stored
// version: informers hold frozen objects and replace them on every change, so a version is an
// object identity. A gateway's desired state is recomputed for every change to any of its pods;
// without this each of its other pods was trimmed, serialised and hashed again each time.
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
  return { ...rest, metadata: meta };
}

const forms = new WeakMap<KubeObject, KubeObject>();
const prints = new WeakMap<KubeObject, string>();

/** trimForAgent(obj); for a frozen (stored) `obj`, one frozen form, the same each time. */
export function agentFormOf(obj: KubeObject): KubeObject {
  const cached = forms.get(obj);
  if (cached) return cached;
  const form = trimForAgent(obj);
  if (!Object.isFrozen(obj)) return form;
  // The rest is shared with the frozen source; only the trimmed metadata is new.
  Object.freeze(form.metadata.annotations);
  Object.freeze(form.metadata);
  forms.set(obj, Object.freeze(form));
  return form;
}

/** A digest of the form's JSON: equal forms, equal fingerprints. Kept for frozen forms. */
export function fingerprintOf(form: KubeObject): string {
  const cached = prints.get(form);
  if (cached !== undefined) return cached;
  const print = createHash('sha1').update(JSON.stringify(form)).digest('base64');
  if (Object.isFrozen(form)) prints.set(form, print);
  return print;
}
