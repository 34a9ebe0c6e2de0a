// Events in: each report becomes a core/v1 Event, about a pod bound to the reporting node (in
// the pod's namespace) or about the node itself (in "default", where kube puts node events).
// The Event's name is derived from the report's series (what happened, to what, since when), so
// a redelivered batch creates nothing new and a repeated event (count > 1, the agent's event
// correlation) updates the count and lastTimestamp of one Event, as kube's recorder does.
import { createHash } from 'node:crypto';
import { isApiError } from '../../api/errors.js';
import type { EventReport } from '../../api/mqtt/payloads/events.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import { isoMillis } from './conditions.js';

export const agentComponent = 'flotilla-agent';

export function eventFor(node: string, report: EventReport): KubeObject {
  const involved = report.involvedObject;
  const namespace = involved.kind === 'Pod' ? (involved.namespace ?? 'default') : 'default';
  const series = [
    node,
    involved,
    report.type,
    report.reason,
    report.message,
    report.firstObservedAt ?? report.observedAt,
  ];
  const digest = createHash('sha256').update(JSON.stringify(series)).digest('hex').slice(0, 16);
  // Like kube's `<object>.<hex time>`; the object part is cut so the name stays a DNS subdomain.
  const name = `${involved.name.slice(0, 200)}.${digest}`;
  const involvedObject: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: involved.kind,
    name: involved.name,
  };
  if (involved.kind === 'Pod') involvedObject.namespace = namespace;
  if (involved.uid) involvedObject.uid = involved.uid;
  if (involved.fieldPath) involvedObject.fieldPath = involved.fieldPath;
  const last = isoMillis(report.observedAt).replace(/\.\d{3}Z$/, 'Z');
  const first = isoMillis(report.firstObservedAt ?? report.observedAt).replace(/\.\d{3}Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject,
    reason: report.reason,
    message: report.message,
    type: report.type,
    count: report.count ?? 1,
    firstTimestamp: first,
    lastTimestamp: last,
    source: { component: agentComponent, host: node },
    reportingComponent: agentComponent,
    reportingInstance: node,
  };
}

export type EventOutcome = 'created' | 'counted' | 'duplicate' | 'refused';

/**
 * `podOnNode` tells whether namespace/name is a pod bound to `node`: a gateway may report on
 * its own pods and itself only.
 */
export async function recordEvent(
  events: ResourceStore,
  node: string,
  report: EventReport,
  podOnNode: (namespace: string, name: string) => boolean,
): Promise<EventOutcome> {
  const involved = report.involvedObject;
  const allowed =
    involved.kind === 'Node' ? involved.name === node : podOnNode(involved.namespace ?? '', involved.name);
  if (!allowed) return 'refused';
  const event = eventFor(node, report);
  const { namespace } = event.metadata;
  const name = event.metadata.name as string;
  try {
    await events.create(namespace, event);
    return 'created';
  } catch (err) {
    if (!(isApiError(err) && err.reason === 'AlreadyExists')) throw err;
  }
  // The series exists: a later count moves it on; the same or an older one is a redelivery.
  const later = (current: KubeObject) => Number(event.count) > Number(current.count ?? 1);
  if (!later(await events.get(namespace, name))) return 'duplicate';
  await events.modify(namespace, name, (current) =>
    later(current) ? { ...current, count: event.count, lastTimestamp: event.lastTimestamp } : current,
  );
  return 'counted';
}
