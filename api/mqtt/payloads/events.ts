// Events in batches, a subset of core/v1 Event: what happened to one of the node's pods, or to
// the node itself. The hub creates the Event (pod events in the pod's namespace, node events in
// "default"), named from a hash of the report so a redelivered batch creates nothing new.
import { type FieldError, required } from '../../errors.js';
import type { JsonRecord } from '../../validation/field-readers.js';
import {
  batchPayload,
  needEnum,
  needEpochMillis,
  needRecord,
  needString,
  optCount,
  optString,
  type Validator,
} from './checks.js';

export interface InvolvedObject {
  kind: 'Pod' | 'Node';
  /** Required for pods; absent for the node. */
  namespace?: string;
  name: string;
  uid?: string;
  /** e.g. `spec.containers{app}`, as kubelet sets it. */
  fieldPath?: string;
}

export interface EventReport {
  involvedObject: InvolvedObject;
  type: 'Normal' | 'Warning';
  /** UpperCamelCase, e.g. Pulled, Started, BackOff, Unhealthy. */
  reason: string;
  message: string;
  /** When the agent saw it last (ms since the epoch). */
  observedAt: number;
  /** First occurrence when `count` > 1. */
  firstObservedAt?: number;
  count?: number;
}

export interface EventBatch {
  items: EventReport[];
}

export const maxEventItems = 100;

/** One report of a batch; a bad report is refused alone, the rest of its batch is applied. */
export function checkEventReport(errs: FieldError[], event: JsonRecord, at: string): void {
  const involved = needRecord(errs, event.involvedObject, `${at}.involvedObject`);
  if (involved) {
    const kind = needEnum(errs, involved.kind, `${at}.involvedObject.kind`, ['Pod', 'Node'] as const);
    const namespace = optString(errs, involved.namespace, `${at}.involvedObject.namespace`, 63);
    if (kind === 'Pod' && !namespace) errs.push(required(`${at}.involvedObject.namespace`));
    needString(errs, involved.name, `${at}.involvedObject.name`, 253);
    optString(errs, involved.uid, `${at}.involvedObject.uid`, 64);
    optString(errs, involved.fieldPath, `${at}.involvedObject.fieldPath`, 256);
  }
  needEnum(errs, event.type, `${at}.type`, ['Normal', 'Warning'] as const);
  needString(errs, event.reason, `${at}.reason`, 128);
  needString(errs, event.message, `${at}.message`, 1024);
  needEpochMillis(errs, event.observedAt, `${at}.observedAt`);
  if (event.firstObservedAt !== undefined)
    needEpochMillis(errs, event.firstObservedAt, `${at}.firstObservedAt`);
  optCount(errs, event.count, `${at}.count`);
}

export const validateEventBatch: Validator<EventBatch> = batchPayload(maxEventItems, checkEventReport);
