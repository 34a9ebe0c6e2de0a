// The kinds the ReplicaSet logic runs: ReplicaSet itself, and ReplicationController, which
// kube-controller-manager also runs through its ReplicaSet controller (the RC is read as a
// ReplicaSet whose selector is matchLabels). What differs is only how each is named and read.
import type { KubeObject } from '../../../api/types.js';
import type { ReplicaSet } from '../objects/kinds.js';

export interface ReplicatedKind {
  /** The controller's name (what ControllerOptions.only selects). */
  controllerName: string;
  resource: { group: string; resource: string };
  kind: string;
  /** The object as the ReplicaSet logic reads it; never a mutation of the cached object. */
  view(obj: KubeObject): ReplicaSet;
}

export const replicaSets: ReplicatedKind = {
  controllerName: 'replicaset',
  resource: { group: 'apps', resource: 'replicasets' },
  kind: 'ReplicaSet',
  view: (obj) => obj as ReplicaSet,
};

export const replicationControllers: ReplicatedKind = {
  controllerName: 'replicationcontroller',
  resource: { group: '', resource: 'replicationcontrollers' },
  kind: 'ReplicationController',
  view: (obj) => {
    const spec = (obj.spec ?? {}) as ReplicaSet['spec'] & { selector?: unknown };
    const labels = spec.selector && typeof spec.selector === 'object' ? spec.selector : {};
    // An RC selects by equality on every label of its map: matchLabels says exactly that. An
    // empty map (validation refuses one) selects nothing here rather than every pod.
    const selector =
      Object.keys(labels).length > 0 ? { matchLabels: labels as Record<string, string> } : undefined;
    return { ...obj, spec: { ...spec, selector } } as ReplicaSet;
  },
};

/** Whether an owner reference points at this kind (any version of its group). */
export function refersTo(kind: ReplicatedKind, ref: { apiVersion: string; kind: string }): boolean {
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  return ref.kind === kind.kind && group === kind.resource.group;
}
