// core/v1 Event rules, kept as lenient as kube's legacy event validation: clients of every
// age write events, and a rejected event is only lost diagnostics.

import { type FieldError, invalidValue, required } from '../errors.js';
import type { KubeObject } from '../types.js';
import { isRecord } from './field-readers.js';

export function validateEvent(obj: KubeObject): FieldError[] {
  const involved = obj.involvedObject;
  if (!isRecord(involved)) return [required('involvedObject')];
  const errs: FieldError[] = [];
  const eventNamespace = obj.metadata.namespace ?? '';
  const involvedNamespace = typeof involved.namespace === 'string' ? involved.namespace : '';
  // Events about cluster-scoped objects (nodes) live in "default", as old clients put them there.
  const matches = involvedNamespace
    ? involvedNamespace === eventNamespace
    : eventNamespace === '' || eventNamespace === 'default';
  if (!obj.eventTime && !matches) {
    errs.push(invalidValue('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
  }
  return errs;
}
