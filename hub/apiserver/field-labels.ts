// Field selectors each kind supports, as kube-apiserver's per-kind field label conversions:
// metadata.name and metadata.namespace everywhere, plus what the kind's definition lists.
import { kindNamed } from '../kinds/builtin-kinds.js';

const common = ['metadata.name', 'metadata.namespace'];

export function supportedFieldLabels(kind: string): string[] {
  return [...common, ...(kindNamed(kind)?.fieldLabels ?? [])];
}
