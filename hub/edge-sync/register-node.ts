import { type Logger, silentLogger } from '../../api/logger.js';
// Registration in: create the Node the first time a gateway joins (labels, taints, status),
// afterwards refresh its labels and status; either way it is Ready. Writes go through the
// Registry, so the Node gets the same defaulting and validation as one posted by kubectl. A
// gateway registers only its own facts: the labels it set (listed in an annotation) it may change
// or remove, labels an admin set it can neither overwrite nor remove (node-labels.ts).

import type { Taint } from '../../api/core-v1.js';
import { isApiError } from '../../api/errors.js';
import type { NodeRegistration } from '../../api/mqtt/payloads/node-registration.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import { agentLabelsAnnotation, registeredLabels } from './node-labels.js';
import { applyRegisteredStatus, registeredStatus } from './node-status.js';

export const agentVersionAnnotation = 'flotilla.io/agent-version';
/** The hardware model the gateway reports; the site cloud provider's instance type comes from it. */
export const hardwareModelAnnotation = 'flotilla.io/hardware-model';

/** The annotations a registration sets (besides the agent's labels list). */
function reportedAnnotations(reg: NodeRegistration): Record<string, string> {
  return {
    ...(reg.agentVersion ? { [agentVersionAnnotation]: reg.agentVersion } : {}),
    ...(reg.hardwareModel ? { [hardwareModelAnnotation]: reg.hardwareModel } : {}),
  };
}

function newNode(
  name: string,
  reg: NodeRegistration,
  initialTaints: readonly Taint[],
): { node: KubeObject; refused: string[] } {
  const labels = registeredLabels({}, undefined, reg.labels);
  const annotations: Record<string, string> = {
    [agentLabelsAnnotation]: labels.annotation,
    ...reportedAnnotations(reg),
  };
  const taints = [...(reg.taints ?? []), ...initialTaints];
  const node: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: labels.labels, annotations },
    spec: taints.length > 0 ? { taints } : {},
    status: registeredStatus(reg, undefined),
  };
  return { node, refused: labels.refused };
}

/** The Node's metadata after this registration; undefined when nothing changes. */
function registeredMetadata(node: KubeObject, reg: NodeRegistration) {
  const annotations = node.metadata.annotations ?? {};
  const labels = registeredLabels(node.metadata.labels ?? {}, annotations[agentLabelsAnnotation], reg.labels);
  const versionOk = Object.entries(reportedAnnotations(reg)).every(
    ([key, value]) => annotations[key] === value,
  );
  const ownedOk = annotations[agentLabelsAnnotation] === labels.annotation;
  return { ...labels, unchanged: versionOk && ownedOk && !labels.changed };
}

/** Creates or refreshes the Node; returns the Node when this registration created it. */
export async function registerNode(
  nodes: ResourceStore,
  name: string,
  reg: NodeRegistration,
  log: Logger = silentLogger,
  /** Taints a new Node starts with besides its own (the cloud provider's uninitialized taint). */
  initialTaints: readonly Taint[] = [],
): Promise<KubeObject | undefined> {
  const logRefused = (refused: string[]) => {
    if (refused.length > 0) {
      log.warn(`node ${name} may not set label(s) ${refused.join(', ')}: set by an admin or reserved`);
    }
  };
  let existing: KubeObject | undefined;
  try {
    existing = await nodes.get(undefined, name);
  } catch (err) {
    if (!isApiError(err) || err.reason !== 'NotFound') throw err;
  }
  if (!existing) {
    try {
      const created = newNode(name, reg, initialTaints);
      const node = await nodes.create(undefined, created.node);
      logRefused(created.refused);
      return node;
    } catch (err) {
      // Created concurrently (a second registration in flight): fall through to the update.
      if (!isApiError(err) || err.reason !== 'AlreadyExists') throw err;
      existing = await nodes.get(undefined, name);
    }
  }
  const planned = registeredMetadata(existing, reg);
  logRefused(planned.refused);
  if (!planned.unchanged) {
    await nodes.modify(undefined, name, (node) => {
      // Again on the object being written: an admin's label may have arrived meanwhile.
      const next = registeredMetadata(node, reg);
      node.metadata.labels = next.labels;
      node.metadata.annotations = {
        ...(node.metadata.annotations ?? {}),
        [agentLabelsAnnotation]: next.annotation,
        ...reportedAnnotations(reg),
      };
      return node;
    });
  }
  await applyRegisteredStatus(nodes, name, reg);
  return undefined;
}
