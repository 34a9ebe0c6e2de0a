// Level-based sync, hub → agent: the whole desired state of one node under a revision, and the
// agent's answers (ack of the revision applied, request for a full resync). Objects are
// Kubernetes objects without status, resourceVersion or managedFields: only what the agent
// needs to run the pods, so a status write never produces a new revision.

import type { FieldError } from '../../errors.js';
import type { KubeObject } from '../../types.js';
import {
  needCount,
  needEpochMillis,
  needRecord,
  needRecords,
  needString,
  objectPayload,
  optCount,
  optString,
  type Validator,
} from './checks.js';

export interface DesiredState {
  /** Increases with every change for this node; see isNewerRevision. */
  revision: number;
  node: string;
  /** Pods bound to the node (spec.nodeName), deleting ones included (metadata.deletionTimestamp). */
  pods: KubeObject[];
  /** The config maps and secrets those pods reference (env, envFrom, volumes, imagePullSecrets). */
  configMaps: KubeObject[];
  secrets: KubeObject[];
  /** Every Service and EndpointSlice, for the agent's service proxy. */
  services: KubeObject[];
  endpointSlices: KubeObject[];
}

export interface DesiredStateAck {
  /** The revision the agent has applied (or failed to apply, with `error`). */
  revision: number;
  observedAt: number;
  error?: string;
}

export interface ResyncRequest {
  observedAt: number;
  /** The revision the agent holds, if any. */
  appliedRevision?: number;
  reason?: string;
}

export const desiredStateLists = ['pods', 'configMaps', 'secrets', 'services', 'endpointSlices'] as const;

const maxObjects = 10_000;

function checkObjects(errs: FieldError[], value: unknown, path: string, withUid: boolean): void {
  for (const [obj, at] of needRecords(errs, value, path, maxObjects)) {
    const meta = needRecord(errs, obj.metadata, `${at}.metadata`);
    if (!meta) continue;
    needString(errs, meta.name, `${at}.metadata.name`, 253);
    needString(errs, meta.namespace, `${at}.metadata.namespace`, 63);
    if (withUid) {
      needString(errs, meta.uid, `${at}.metadata.uid`, 64);
      needRecord(errs, obj.spec, `${at}.spec`);
    }
  }
}

export const validateDesiredState: Validator<DesiredState> = objectPayload((errs, body) => {
  needCount(errs, body.revision, 'revision');
  needString(errs, body.node, 'node', 253);
  for (const list of desiredStateLists) checkObjects(errs, body[list], list, list === 'pods');
});

export const validateDesiredStateAck: Validator<DesiredStateAck> = objectPayload((errs, body) => {
  needCount(errs, body.revision, 'revision');
  needEpochMillis(errs, body.observedAt, 'observedAt');
  optString(errs, body.error, 'error', 1024);
});

export const validateResyncRequest: Validator<ResyncRequest> = objectPayload((errs, body) => {
  needEpochMillis(errs, body.observedAt, 'observedAt');
  optCount(errs, body.appliedRevision, 'appliedRevision');
  optString(errs, body.reason, 'reason', 256);
});
