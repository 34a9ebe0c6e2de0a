// EndpointSlices (discovery.k8s.io/v1) read into endpoint candidates per Service. A slice names
// its Service with the kubernetes.io/service-name label and lists ports by name with the number
// each resolves to on the pods, so named target ports arrive already resolved. Only IPv4 slices
// count (the proxy programs the ip family); a malformed entry is skipped and reported with the
// field that is wrong, never guessed at.

import { parseIPv4 } from '../../api/ipv4.js';
import type { KubeObject } from '../../api/types.js';
import { isRecord } from '../../api/validation/field-readers.js';
import type { CandidateGroup, EndpointCandidate } from './endpoint-views.js';
import type { Protocol } from './service-port.js';

export const serviceNameLabel = 'kubernetes.io/service-name';

export interface SlicePort extends CandidateGroup {
  name: string;
  protocol: Protocol;
}

export const protocols: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export function problem(path: string, value: unknown, why: string): string {
  return `${path}: Invalid value: ${JSON.stringify(value)}: ${why}`;
}

export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** Slice ports by Service (`namespace/name`), each with the endpoints it reaches. */
export function indexSlices(
  slices: readonly KubeObject[],
  nodeName: string,
  problems: string[],
): Map<string, SlicePort[]> {
  const index = new Map<string, SlicePort[]>();
  for (const slice of slices) {
    const namespace = slice.metadata.namespace ?? 'default';
    const at = `endpointSlices[${namespace}/${slice.metadata.name ?? ''}]`;
    const service = slice.metadata.labels?.[serviceNameLabel];
    if (!service) continue; // not managed for a Service: nothing for the proxy
    if (slice.addressType !== undefined && slice.addressType !== 'IPv4') continue;
    const candidates = readEndpoints(slice.endpoints, nodeName, `${at}.endpoints`, problems);
    const ports = readSlicePorts(slice.ports, `${at}.ports`, problems);
    const key = `${namespace}/${service}`;
    const list = index.get(key) ?? [];
    index.set(key, list);
    for (const port of ports)
      list.push({ name: port.name, protocol: port.protocol, port: port.port, candidates });
  }
  return index;
}

function readSlicePorts(value: unknown, at: string, problems: string[]): Omit<SlicePort, 'candidates'>[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(problem(at, value, 'must be an array'));
    return [];
  }
  const out: Omit<SlicePort, 'candidates'>[] = [];
  for (const [i, entry] of (value as unknown[]).entries()) {
    if (!isRecord(entry)) {
      problems.push(problem(`${at}[${i}]`, entry, 'must be an object'));
      continue;
    }
    const protocol = (entry.protocol ?? 'TCP') as Protocol;
    // A port without a number means "all ports" in the API; the proxy cannot program that.
    if (!isPort(entry.port)) {
      problems.push(problem(`${at}[${i}].port`, entry.port, 'must be 1-65535'));
      continue;
    }
    if (!protocols.includes(protocol)) {
      problems.push(problem(`${at}[${i}].protocol`, entry.protocol, 'must be TCP, UDP or SCTP'));
      continue;
    }
    const name = typeof entry.name === 'string' ? entry.name : '';
    out.push({ name, protocol, port: entry.port });
  }
  return out;
}

function readEndpoints(
  value: unknown,
  nodeName: string,
  at: string,
  problems: string[],
): EndpointCandidate[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(problem(at, value, 'must be an array'));
    return [];
  }
  const out: EndpointCandidate[] = [];
  for (const [i, entry] of (value as unknown[]).entries()) {
    if (!isRecord(entry)) {
      problems.push(problem(`${at}[${i}]`, entry, 'must be an object'));
      continue;
    }
    // kube-proxy uses the first address: the others are the same endpoint, by API convention.
    const ip = Array.isArray(entry.addresses) ? entry.addresses[0] : undefined;
    const order = typeof ip === 'string' ? parseIPv4(ip) : undefined;
    if (order === undefined) {
      problems.push(problem(`${at}[${i}].addresses[0]`, ip, 'must be an IPv4 address'));
      continue;
    }
    const conditions = isRecord(entry.conditions) ? entry.conditions : {};
    // API semantics: an unknown readiness counts as ready; serving defaults to ready.
    const ready = conditions.ready !== false;
    const serving = typeof conditions.serving === 'boolean' ? conditions.serving : ready;
    const terminating = conditions.terminating === true;
    out.push({ ip: ip as string, order, local: entry.nodeName === nodeName, ready, serving, terminating });
  }
  return out;
}
