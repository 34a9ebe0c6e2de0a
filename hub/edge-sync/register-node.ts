// Registration in: create the Node the first time a gateway joins (labels, taints, status),
// afterwards refresh its labels and status; either way it is Ready. Writes go through the
// Registry, so the Node gets the same defaulting and validation as one posted by kubectl.

import { isApiError } from '../../api/errors.js';
import type { NodeRegistration } from '../../api/mqtt/payloads/node-registration.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import { type Condition, conditionsOf, mergeConditions } from './conditions.js';

export const agentVersionAnnotation = 'flotilla.io/agent-version';

const readyCondition = {
  type: 'Ready',
  status: 'True',
  reason: 'KubeletReady',
  message: 'flotilla agent registered over MQTT',
};

/** Node.status from a registration, keeping what else the stored status holds. */
export function registeredStatus(reg: NodeRegistration, stored: unknown): Record<string, unknown> {
  const base = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const conditions: Condition[] = mergeConditions(conditionsOf(base), [readyCondition], reg.observedAt);
  return {
    ...base,
    capacity: reg.capacity,
    allocatable: reg.allocatable,
    nodeInfo: { ...((base.nodeInfo as object | undefined) ?? {}), ...reg.nodeInfo },
    addresses: reg.addresses,
    conditions,
  };
}

function newNode(name: string, reg: NodeRegistration): KubeObject {
  const node: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: reg.labels },
    spec: reg.taints && reg.taints.length > 0 ? { taints: reg.taints } : {},
    status: registeredStatus(reg, undefined),
  };
  if (reg.agentVersion) node.metadata.annotations = { [agentVersionAnnotation]: reg.agentVersion };
  return node;
}

function labelsCurrent(node: KubeObject, reg: NodeRegistration): boolean {
  const labels = node.metadata.labels ?? {};
  const versionOk =
    !reg.agentVersion || node.metadata.annotations?.[agentVersionAnnotation] === reg.agentVersion;
  return versionOk && Object.entries(reg.labels).every(([k, v]) => labels[k] === v);
}

export async function registerNode(nodes: ResourceStore, name: string, reg: NodeRegistration): Promise<void> {
  let existing: KubeObject | undefined;
  try {
    existing = await nodes.get(undefined, name);
  } catch (err) {
    if (!isApiError(err) || err.reason !== 'NotFound') throw err;
  }
  if (!existing) {
    try {
      await nodes.create(undefined, newNode(name, reg));
      return;
    } catch (err) {
      // Created concurrently (a second registration in flight): fall through to the update.
      if (!isApiError(err) || err.reason !== 'AlreadyExists') throw err;
      existing = await nodes.get(undefined, name);
    }
  }
  if (!labelsCurrent(existing, reg)) {
    await nodes.modify(undefined, name, (node) => {
      node.metadata.labels = { ...(node.metadata.labels ?? {}), ...reg.labels };
      if (reg.agentVersion) {
        node.metadata.annotations = {
          ...(node.metadata.annotations ?? {}),
          [agentVersionAnnotation]: reg.agentVersion,
        };
      }
      return node;
    });
  }
  await nodes.modify(
    undefined,
    name,
    (node) => {
      node.status = registeredStatus(reg, node.status);
      return node;
    },
    { subresource: 'status' },
  );
}
