// Pod status in batches: the agent sends the pods whose status changed since the last batch
// (and, after a reconnect, what it queued while offline, in order). The hub writes each through
// the pods/status path and never lets an older observedAt overwrite a newer one.
import type { FieldError } from '../../errors.js';
import {
  type JsonRecord,
  readBoolean,
  readInteger,
  readRecord,
  readRecords,
} from '../../validation/field-readers.js';
import { podPhases } from '../../validation/pod.js';
import {
  batchPayload,
  needEpochMillis,
  needRecord,
  needString,
  optEnum,
  optString,
  type Validator,
} from './checks.js';
import { conditionStatuses } from './node-status.js';

/** core/v1 PodStatus; the fields the hub checks are typed, the rest pass through. */
export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  conditions?: Array<{ type: string; status: 'True' | 'False' | 'Unknown'; [field: string]: unknown }>;
  containerStatuses?: Array<{
    name: string;
    ready?: boolean;
    restartCount?: number;
    [field: string]: unknown;
  }>;
  initContainerStatuses?: Array<{ name: string; [field: string]: unknown }>;
  /** Only when the pod has ephemeral containers. */
  ephemeralContainerStatuses?: Array<{ name: string; [field: string]: unknown }>;
  [field: string]: unknown;
}

export interface PodStatusItem {
  namespace: string;
  name: string;
  /** The pod's metadata.uid: a status for an older pod of the same name is dropped. */
  uid: string;
  /** When the agent observed this status (ms since the epoch). */
  observedAt: number;
  status: PodStatus;
  /**
   * Set once the pod is being deleted and the agent has stopped all of its containers: the hub
   * then removes the pod (the agent's half of graceful deletion, kubelet's DELETE with grace 0).
   */
  finalized?: boolean;
}

export interface PodStatusBatch {
  items: PodStatusItem[];
}

export const maxPodStatusItems = 200;

/** One item of a batch; a bad item is refused alone, the rest of its batch is applied. */
export function checkPodStatusItem(errs: FieldError[], item: JsonRecord, at: string): void {
  needString(errs, item.namespace, `${at}.namespace`, 63);
  needString(errs, item.name, `${at}.name`, 253);
  needString(errs, item.uid, `${at}.uid`, 64);
  needEpochMillis(errs, item.observedAt, `${at}.observedAt`);
  readBoolean(errs, item.finalized, `${at}.finalized`);
  const status = needRecord(errs, item.status, `${at}.status`);
  if (!status) return;
  const path = `${at}.status`;
  optEnum(errs, status.phase, `${path}.phase`, podPhases);
  for (const [condition, cAt] of readRecords(errs, status.conditions, `${path}.conditions`)) {
    needString(errs, condition.type, `${cAt}.type`, 316);
    optEnum(errs, condition.status, `${cAt}.status`, conditionStatuses);
  }
  for (const list of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    for (const [container, cAt] of readRecords(errs, status[list], `${path}.${list}`)) {
      needString(errs, container.name, `${cAt}.name`, 63);
      readBoolean(errs, container.ready, `${cAt}.ready`);
      readInteger(errs, container.restartCount, `${cAt}.restartCount`);
      readRecord(errs, container.state, `${cAt}.state`);
    }
  }
  optString(errs, status.message, `${path}.message`, 4096);
}

export const validatePodStatusBatch: Validator<PodStatusBatch> = batchPayload(
  maxPodStatusItems,
  checkPodStatusItem,
);
