// Node status as the agent reports it: on change or on a slow timer, never as a full Node
// object every few seconds. The hub folds it into Node.status (conditions get
// lastHeartbeatTime = observedAt).
import type { FieldError } from '../../errors.js';
import { invalidValue } from '../../errors.js';
import { quantityError } from '../../quantity.js';
import { readRecord, readRecords, readStrings } from '../../validation/field-readers.js';
import {
  needEnum,
  needEpochMillis,
  needRecords,
  needString,
  objectPayload,
  optCount,
  optString,
  type Validator,
} from './checks.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';
export const conditionStatuses: readonly ConditionStatus[] = ['True', 'False', 'Unknown'];

export interface NodeConditionReport {
  /** Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable, … */
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
}

export interface ContainerImage {
  names: string[];
  sizeBytes?: number;
}

/** Resource name → quantity string, e.g. `{cpu: '4', memory: '3882Mi', pods: '110'}`. */
export type ResourceQuantities = Record<string, string>;

export interface NodeStatusReport {
  /** When the agent observed this status (ms since the epoch). */
  observedAt: number;
  conditions: NodeConditionReport[];
  capacity?: ResourceQuantities;
  allocatable?: ResourceQuantities;
  images?: ContainerImage[];
}

export function checkQuantities(errs: FieldError[], value: unknown, path: string): void {
  for (const [name, raw] of Object.entries(readRecord(errs, value, path) ?? {})) {
    if (typeof raw !== 'string')
      errs.push(invalidValue(`${path}[${name}]`, raw, 'must be a quantity string'));
    else {
      const problem = quantityError(raw);
      if (problem) errs.push(invalidValue(`${path}[${name}]`, raw, problem));
    }
  }
}

export function checkConditions(errs: FieldError[], value: unknown, path: string): void {
  for (const [condition, at] of needRecords(errs, value, path, 32)) {
    needString(errs, condition.type, `${at}.type`, 316);
    needEnum(errs, condition.status, `${at}.status`, conditionStatuses);
    optString(errs, condition.reason, `${at}.reason`, 128);
    optString(errs, condition.message, `${at}.message`, 1024);
  }
}

export const validateNodeStatusReport: Validator<NodeStatusReport> = objectPayload((errs, body) => {
  needEpochMillis(errs, body.observedAt, 'observedAt');
  checkConditions(errs, body.conditions, 'conditions');
  checkQuantities(errs, body.capacity, 'capacity');
  checkQuantities(errs, body.allocatable, 'allocatable');
  for (const [image, at] of readRecords(errs, body.images, 'images')) {
    readStrings(errs, image.names, `${at}.names`);
    optCount(errs, image.sizeBytes, `${at}.sizeBytes`);
  }
});
