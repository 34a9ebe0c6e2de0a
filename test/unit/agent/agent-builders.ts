// Builders for agent unit tests: pod statuses, events and desired states.
import { type AgentDesired, protocolVersion } from '../../../api/mqtt/payloads/desired-state.js';
import type { EventReport } from '../../../api/mqtt/payloads/events.js';
import type { PodStatusItem } from '../../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../../api/types.js';

export function aPodStatus(
  uid: string,
  observedAt: number,
  phase: PodStatusItem['status']['phase'] = 'Running',
): PodStatusItem {
  return { namespace: 'default', name: `pod-${uid}`, uid, observedAt, status: { phase } };
}

export function anEvent(uid: string, reason: string, observedAt: number): EventReport {
  return {
    involvedObject: { kind: 'Pod', namespace: 'default', name: `pod-${uid}`, uid },
    type: 'Normal',
    reason,
    message: `${reason} happened`,
    observedAt,
  };
}

export function aDesiredPod(name: string, node = 'gw-1'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { nodeName: node, containers: [{ name: 'app', image: 'docker.io/library/busybox:1.36' }] },
  };
}

export function aDesiredState(revision: number, pods: string[] = ['a'], node = 'gw-1'): AgentDesired {
  return {
    protocol: protocolVersion,
    revision,
    node,
    pods: pods.map((name) => aDesiredPod(name, node)),
    configMaps: [],
    secrets: [],
    services: [],
    endpointSlices: [],
  };
}
