// Pod-only defaults (kube's SetDefaults_Pod, the Priority admission plugin and the pod
// strategy's PrepareForCreate), on top of the PodSpec defaults shared with templates.

import type { KubeObject } from '../types.js';
import { isRecord, type JsonRecord } from '../validation/field-readers.js';
import { defaultPodSpec } from './pod-spec-defaults.js';
import { computeQosClass } from './qos-class.js';
import { defaultValue, objectAt, recordsAt } from './set-default.js';

// The two priority classes every cluster has (scheduling.k8s.io built-ins).
const builtinPriorities: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

export function defaultPod(pod: KubeObject): void {
  const spec = objectAt(pod, 'spec');
  if (!spec) return;
  defaultPodSpec(spec);
  const containers = [...recordsAt(spec, 'containers'), ...recordsAt(spec, 'initContainers')];
  for (const container of containers) defaultRequestsFromLimits(container);
  defaultValue(spec, 'enableServiceLinks', true);
  const className = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
  defaultValue(spec, 'priority', builtinPriorities[className] ?? 0);
  // With host networking the container port is the host port.
  if (spec.hostNetwork === true) {
    for (const container of containers) {
      for (const port of recordsAt(container, 'ports')) defaultValue(port, 'hostPort', port.containerPort);
    }
  }
  const status = objectAt(pod, 'status');
  if (!status) return;
  defaultValue(status, 'phase', 'Pending');
  defaultValue(status, 'qosClass', computeQosClass(spec));
}

/**
 * A limit without a request means "request the limit". Only pods get this, not templates,
 * so that a template keeps exactly what its author wrote.
 */
function defaultRequestsFromLimits(container: JsonRecord): void {
  const resources = isRecord(container.resources) ? container.resources : undefined;
  if (!resources || !isRecord(resources.limits) || Object.keys(resources.limits).length === 0) return;
  const requests = objectAt(resources, 'requests');
  if (!requests) return;
  for (const [name, limit] of Object.entries(resources.limits)) defaultValue(requests, name, limit);
}
