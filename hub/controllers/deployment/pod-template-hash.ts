// The pod-template-hash a Deployment puts in its ReplicaSets' names, selectors, template labels
// and pods (apps/v1 DefaultDeploymentUniqueLabelKey). The hash is FNV-1a (32 bit) over a
// canonical form of the template (keys sorted; null, {} and [] dropped, since a JSON round trip
// through Go types with omitempty cannot tell those from absent) plus the collision count, and
// is spelled in the vowel-free alphabet of generated names so it never forms words.

import { canonicalJson } from '../../../api/canonical-json.js';
import type { LabelSelector } from '../../../api/label-selector.js';
import { jsonEqual } from '../../../api/validation/deep-equal.js';
import type { PodTemplate } from '../objects/kinds.js';

export const podTemplateHashLabel = 'pod-template-hash';

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function podTemplateHash(template: PodTemplate | undefined, collisionCount?: number): string {
  let text = canonicalJson(template ?? {}, { omitEmpty: true, integerKeysFirst: true });
  if (collisionCount !== undefined) text += `#${collisionCount}`;
  const decimal = String(fnv1a32(text));
  let out = '';
  for (const ch of decimal) out += alphabet[ch.charCodeAt(0) % alphabet.length];
  return out;
}

/** Templates equal once the hash label is ignored (kube's EqualIgnoreHash). */
export function equalIgnoringHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return jsonEqual(withoutHash(a), withoutHash(b));
}

export function withoutHash(template: PodTemplate | undefined): PodTemplate {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) {
    const { [podTemplateHashLabel]: _hash, ...labels } = copy.metadata.labels;
    copy.metadata.labels = labels;
  }
  return copy;
}

/** The template with the hash label added (the template of the ReplicaSet for `hash`). */
export function templateWithHash(template: PodTemplate | undefined, hash: string): PodTemplate {
  const copy = structuredClone(template ?? {});
  copy.metadata = { ...copy.metadata, labels: { ...copy.metadata?.labels, [podTemplateHashLabel]: hash } };
  return copy;
}

export function selectorWithHash(selector: LabelSelector | undefined, hash: string): LabelSelector {
  const copy = structuredClone(selector ?? {});
  copy.matchLabels = { ...copy.matchLabels, [podTemplateHashLabel]: hash };
  return copy;
}

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
