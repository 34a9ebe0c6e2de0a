// apiextensions.k8s.io/v1 CustomResourceDefinition defaults: singular and listKind from the
// kind, conversion None.
import type { KubeObject } from '../types.js';
import { isRecord } from '../validation/field-readers.js';

export function defaultCustomResourceDefinition(crd: KubeObject): void {
  const spec = crd.spec;
  if (!isRecord(spec)) return;
  const names = spec.names;
  if (isRecord(names) && typeof names.kind === 'string') {
    if (!names.singular) names.singular = names.kind.toLowerCase();
    if (!names.listKind) names.listKind = `${names.kind}List`;
  }
  if (!isRecord(spec.conversion)) spec.conversion = { strategy: 'None' };
  else spec.conversion.strategy ??= 'None';
}
