// Dashboard topics: retained, compact JSON that any MQTT dashboard (Node-RED, MQTT Explorer,
// Grafana's MQTT source) can show with no hub API call. Published by the hub on change only;
// an empty retained message clears the topic when the node or workload is gone.
import { readStrings } from '../../validation/field-readers.js';
import {
  needBoolean,
  needCount,
  needEnum,
  needEpochMillis,
  objectPayload,
  optCount,
  optString,
  type Validator,
} from './checks.js';
import type { ConditionStatus } from './node-status.js';

export interface NodeSummary {
  /** The Node's Ready condition. */
  ready: ConditionStatus;
  /** Whether the gateway's MQTT session is up. */
  online: boolean;
  arch?: string;
  /** Pods bound to the node, and how many of them are Running. */
  pods: number;
  running: number;
  /**
   * Desired-state revision published, and the last one the agent acknowledged: present only
   * while the gateway has been behind for 10 s or more (a lag that closes at once is not news,
   * and showing every revision republished every node's summary at each Service change).
   */
  revision?: number;
  applied?: number;
  /** When this summary last changed (ms since the epoch). */
  updated: number;
}

export interface WorkloadSummary {
  /** Pods of the workload, Ready ones, and the nodes they are bound to (sorted, at most 50). */
  pods: number;
  ready: number;
  nodes: string[];
  updated: number;
}

export const validateNodeSummary: Validator<NodeSummary> = objectPayload((errs, body) => {
  needEnum(errs, body.ready, 'ready', ['True', 'False', 'Unknown'] as const);
  needBoolean(errs, body.online, 'online');
  optString(errs, body.arch, 'arch', 32);
  needCount(errs, body.pods, 'pods');
  needCount(errs, body.running, 'running');
  optCount(errs, body.revision, 'revision');
  optCount(errs, body.applied, 'applied');
  needEpochMillis(errs, body.updated, 'updated');
});

export const validateWorkloadSummary: Validator<WorkloadSummary> = objectPayload((errs, body) => {
  needCount(errs, body.pods, 'pods');
  needCount(errs, body.ready, 'ready');
  readStrings(errs, body.nodes, 'nodes');
  needEpochMillis(errs, body.updated, 'updated');
});
