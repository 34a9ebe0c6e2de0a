// Level-based sync, hub → agent: the whole desired state of one node under a revision, and the
// agent's answers (ack of the revision applied, request for a full resync). Objects are
// Kubernetes objects without status, resourceVersion or managedFields: only what the agent
// needs to run the pods, so a status write never produces a new revision.

import { type FieldError, invalidValue } from '../../errors.js';
import type { KubeObject } from '../../types.js';
import { readStrings } from '../../validation/field-readers.js';
import { isValidCIDR, isValidIP } from '../../validation/network-formats.js';
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
  /** The Node's spec.podCIDR, when it has one the agent can build its pod network from (IPv4). */
  podCIDR?: string;
  /** The Node's spec.podCIDRs (dual stack); informational, the agent uses podCIDR. */
  podCIDRs?: string[];
  /**
   * The other gateways' pod networks and where to send their traffic (host-gw: each node's
   * InternalIP), for host routes between gateways on one L2 segment.
   */
  podRoutes?: PodRoute[];
}

export interface PodRoute {
  node: string;
  podCIDR: string;
  /** The node's InternalIP (IPv4): the next hop for podCIDR. */
  via: string;
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

/**
 * Why `value` cannot be a pod network for the agent's bridge: it must be IPv4 with room for a
 * gateway and pods (prefix /8 to /30), the range the bridge conflist builder accepts.
 */
export function podCidrProblem(value: string): string | undefined {
  const match = /^(\d{1,3}\.){3}\d{1,3}\/(\d{1,2})$/.exec(value);
  if (!match || !isValidCIDR(value)) return 'must be an IPv4 CIDR such as 10.42.1.0/24';
  const bits = Number(match[2]);
  return bits < 8 || bits > 30 ? 'must have a prefix length of 8 to 30 bits' : undefined;
}

function checkPodCidrs(errs: FieldError[], body: Record<string, unknown>): void {
  const single = optString(errs, body.podCIDR, 'podCIDR', 18);
  if (single !== undefined) {
    const problem = podCidrProblem(single);
    if (problem) errs.push(invalidValue('podCIDR', single, problem));
  }
  if (body.podCIDRs === undefined || body.podCIDRs === null) return;
  const cidrs = readStrings(errs, body.podCIDRs, 'podCIDRs');
  // Kubernetes allows one pod CIDR per IP family.
  if (cidrs.length > 2) errs.push(invalidValue('podCIDRs', cidrs.length, 'must have at most 2 items'));
  cidrs.slice(0, 2).forEach((cidr, i) => {
    if (!isValidCIDR(cidr)) errs.push(invalidValue(`podCIDRs[${i}]`, cidr, 'must be a valid CIDR'));
  });
}

const ipv4 = /^(\d{1,3}\.){3}\d{1,3}$/;

function checkPodRoutes(errs: FieldError[], value: unknown): void {
  if (value === undefined || value === null) return;
  for (const [route, at] of needRecords(errs, value, 'podRoutes', maxObjects)) {
    needString(errs, route.node, `${at}.node`, 253);
    const cidr = needString(errs, route.podCIDR, `${at}.podCIDR`, 18);
    const problem = cidr === undefined ? undefined : podCidrProblem(cidr);
    if (problem) errs.push(invalidValue(`${at}.podCIDR`, cidr, problem));
    const via = needString(errs, route.via, `${at}.via`, 15);
    if (via !== undefined && !(ipv4.test(via) && isValidIP(via))) {
      errs.push(invalidValue(`${at}.via`, via, 'must be an IPv4 address'));
    }
  }
}

export const validateDesiredState: Validator<DesiredState> = objectPayload((errs, body) => {
  needCount(errs, body.revision, 'revision');
  needString(errs, body.node, 'node', 253);
  for (const list of desiredStateLists) checkObjects(errs, body[list], list, list === 'pods');
  checkPodCidrs(errs, body);
  checkPodRoutes(errs, body.podRoutes);
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
