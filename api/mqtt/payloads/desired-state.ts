// Level-based sync, hub → agent: the whole desired state that is one node's own (its pods and
// what they reference, its pod network) under a revision, the agent's answers (ack of the
// revision applied, request for a full resync), and the shared per-object payloads (Services,
// EndpointSlices, pod routes) every gateway reads once per change. Own objects are Kubernetes
// objects without status, resourceVersion or managedFields: only what the agent needs to run
// the pods, so a status write never produces a new revision.

import { type FieldError, invalidValue } from '../../errors.js';
import { parseIPv4Cidr } from '../../ipv4.js';
import type { KubeObject } from '../../types.js';
import { readStrings } from '../../validation/field-readers.js';
import { isValidCIDR } from '../../validation/network-formats.js';
import { segmentPattern } from '../topics.js';
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
import type { PodRoute } from './pod-routes.js';

/**
 * The version of the desired-state protocol this code speaks. 2: a node's own state on
 * `desired`, Services, EndpointSlices and pod routes on shared per-object topics. 3: pod routes
 * no longer retained; a gateway asks for its segment's set by digest (`routesResync`). A hub and an
 * agent with different versions refuse each other's desired state and registration, with one
 * log line naming both versions.
 */
export const protocolVersion = 3;

export interface DesiredState {
  /** protocolVersion of the hub that published it. */
  protocol: number;
  /** Increases with every change for this node; see isNewerRevision. */
  revision: number;
  node: string;
  /** Pods bound to the node (spec.nodeName), deleting ones included (metadata.deletionTimestamp). */
  pods: KubeObject[];
  /** The config maps and secrets those pods reference (env, envFrom, volumes, imagePullSecrets). */
  configMaps: KubeObject[];
  secrets: KubeObject[];
  /** The Node's spec.podCIDR, when it has one the agent can build its pod network from (IPv4). */
  podCIDR?: string;
  /** The Node's spec.podCIDRs (dual stack); informational, the agent uses podCIDR. */
  podCIDRs?: string[];
  /**
   * The network segment the node is in (see segmentOf): the agent reads the pod routes of the
   * gateways in it from `shared/segments/{segment}/routes/+`. Absent: no routes.
   */
  segment?: string;
  /**
   * The hub's digest of this content (objects and network, not the revision): opaque to the
   * agent, which keeps it with the state and echoes it in a resync request. A restarted hub,
   * which remembers no gateway's revision, answers a gateway whose digest matches the state it
   * would send with "you are current" instead of the whole state.
   */
  digest?: string;
}

/** Longest digest a hub sends and an agent echoes. */
export const maxDigestLength = 64;

/**
 * What the agent runs from: its own desired state plus the shared objects it last saw. Kept in
 * local state as one, so a reboot with the hub down still has its Services and routes.
 */
export interface AgentDesired extends DesiredState {
  /** Every Service and EndpointSlice, for the agent's service proxy and DNS. */
  services: KubeObject[];
  endpointSlices: KubeObject[];
  /**
   * The pod networks of the other gateways in its segment and where to send their traffic
   * (host-gw: each node's InternalIP), for host routes between gateways on one L2 segment.
   */
  podRoutes?: PodRoute[];
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
  /** The `digest` of the state it holds, when the hub gave one. */
  appliedDigest?: string;
  reason?: string;
}

export const desiredStateLists = ['pods', 'configMaps', 'secrets'] as const;

const maxObjects = 10_000;

export function checkObjects(errs: FieldError[], value: unknown, path: string, withUid: boolean): void {
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
  const cidr = parseIPv4Cidr(value);
  if (!cidr) return 'must be an IPv4 CIDR such as 10.42.1.0/24';
  return cidr.prefix < 8 || cidr.prefix > 30 ? 'must have a prefix length of 8 to 30 bits' : undefined;
}

export function checkPodCidrs(errs: FieldError[], body: Record<string, unknown>): void {
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

/** A segment name (see segmentOf); `required` for the route payloads, optional in a state. */
export function checkSegment(errs: FieldError[], value: unknown, required = false): void {
  const segment = required ? needString(errs, value, 'segment', 80) : optString(errs, value, 'segment', 80);
  if (segment !== undefined && !segmentPattern.test(segment))
    errs.push(invalidValue('segment', segment, `must match ${segmentPattern.source}`));
}

/**
 * A Service or EndpointSlice on its shared topic: trimmed like desired-state objects, but with
 * its metadata.resourceVersion, so an agent never lets an older copy replace a newer one.
 */
export const validateSharedObject: Validator<KubeObject> = objectPayload((errs, obj) => {
  needString(errs, obj.apiVersion, 'apiVersion', 64);
  needString(errs, obj.kind, 'kind', 64);
  const meta = needRecord(errs, obj.metadata, 'metadata');
  if (!meta) return;
  needString(errs, meta.name, 'metadata.name', 253);
  needString(errs, meta.namespace, 'metadata.namespace', 63);
  needString(errs, meta.resourceVersion, 'metadata.resourceVersion', 32);
});

export const validateDesiredState: Validator<DesiredState> = objectPayload((errs, body) => {
  needCount(errs, body.protocol, 'protocol');
  needCount(errs, body.revision, 'revision');
  needString(errs, body.node, 'node', 253);
  for (const list of desiredStateLists) checkObjects(errs, body[list], list, list === 'pods');
  checkPodCidrs(errs, body);
  checkSegment(errs, body.segment);
  optString(errs, body.digest, 'digest', maxDigestLength);
});

export const validateDesiredStateAck: Validator<DesiredStateAck> = objectPayload((errs, body) => {
  needCount(errs, body.revision, 'revision');
  needEpochMillis(errs, body.observedAt, 'observedAt');
  optString(errs, body.error, 'error', 1024);
});

export const validateResyncRequest: Validator<ResyncRequest> = objectPayload((errs, body) => {
  needEpochMillis(errs, body.observedAt, 'observedAt');
  optCount(errs, body.appliedRevision, 'appliedRevision');
  optString(errs, body.appliedDigest, 'appliedDigest', maxDigestLength);
  optString(errs, body.reason, 'reason', 256);
});
