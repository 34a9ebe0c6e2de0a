// Field selectors a kind supports, as kube-apiserver's per-kind field label conversions:
// metadata.name and metadata.namespace everywhere, plus what the kind's definition lists.
import type { KindDefinition } from '../kinds/kind-definition.js';

const common = ['metadata.name', 'metadata.namespace'];

export function supportedFieldLabels(kind: Pick<KindDefinition, 'fieldLabels'>): string[] {
  return [...common, ...(kind.fieldLabels ?? [])];
}
