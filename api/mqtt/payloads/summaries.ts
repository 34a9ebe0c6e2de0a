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
  optEpochMillis,
  optString,
  type Validator,
} from './checks.js';
import type { ConditionStatus } from './node-status.js';

export interface NodeSummary {
  /** The Node's Ready condition. */
  ready: ConditionStatus;
  /** Whether the gateway's MQTT session is up. */
  online: boolean;
  /** The Node's `kubernetes.io/arch`, `flotilla.io/site` and `topology.kubernetes.io/zone` labels. */
  arch?: string;
  site?: string;
  zone?: string;
  /**
   * When the gateway's present state began (ms since the epoch, the hub's clock): while `online`,
   * when its session came up (it is being heard now: the summary is not republished per
   * heartbeat); while offline, when it was last heard. For a gateway the hub has not seen come or
   * go since it started, its Lease's renewTime (its last heartbeat the hub kept, gateway clock);
   * absent when it has none.
   */
  lastSeen?: number;
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
  /**
   * The pods the workload asks for: `spec.replicas` (Deployment, ReplicaSet, StatefulSet,
   * ReplicationController), the nodes it should run on (DaemonSet), `spec.parallelism` while a
   * Job runs and 0 once it finished, 1 for a bare Pod; absent for a custom controller's kind.
   */
  desired?: number;
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
  optString(errs, body.site, 'site', 63);
  optString(errs, body.zone, 'zone', 63);
  optEpochMillis(errs, body.lastSeen, 'lastSeen');
  needCount(errs, body.pods, 'pods');
  needCount(errs, body.running, 'running');
  optCount(errs, body.revision, 'revision');
  optCount(errs, body.applied, 'applied');
  needEpochMillis(errs, body.updated, 'updated');
});

export const validateWorkloadSummary: Validator<WorkloadSummary> = objectPayload((errs, body) => {
  optCount(errs, body.desired, 'desired');
  needCount(errs, body.pods, 'pods');
  needCount(errs, body.ready, 'ready');
  readStrings(errs, body.nodes, 'nodes');
  needEpochMillis(errs, body.updated, 'updated');
});
