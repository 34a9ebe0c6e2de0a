// A StatefulSet pod's identity (kube's stateful_set_utils.go): the name `<set>-<ordinal>`, the
// host name and subdomain that give it the DNS name `<pod>.<serviceName>`, the labels that name
// it and its revision, and the claims `<template>-<set>-<ordinal>` mounted in place of the
// template's volumes of the same name.

import type { LabelSelector } from '../../../api/label-selector.js';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import type { Pod, PodTemplate } from '../objects/kinds.js';
import { labels } from '../objects/well-known.js';

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';

export interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface StatefulSetSpec {
  replicas?: number;
  selector?: LabelSelector;
  serviceName?: string;
  template?: PodTemplate;
  podManagementPolicy?: string;
  updateStrategy?: {
    type?: string;
    rollingUpdate?: { partition?: number; maxUnavailable?: number | string };
  };
  volumeClaimTemplates?: ClaimTemplate[];
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
  ordinals?: { start?: number };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
}

export interface StatefulSet extends KubeObject {
  spec: StatefulSetSpec;
  status?: StatefulSetStatus;
}

export function podName(set: KubeObject, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** The ordinal of a pod named `<set>-<n>`, or undefined for a pod that is no member of the set. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const digits = name.slice(prefix.length);
  return /^(0|[1-9][0-9]*)$/.test(digits) ? Number(digits) : undefined;
}

export function claimName(template: ClaimTemplate, set: KubeObject, ordinal: number): string {
  return `${template.metadata?.name ?? ''}-${podName(set, ordinal)}`;
}

/** The revision a pod was made from (its controller-revision-hash label). */
export function podRevision(pod: Pod): string | undefined {
  return pod.metadata.labels?.[labels.controllerRevisionHash];
}

/** The pod for `ordinal`, made from `template` (that of `revision`), controlled by the set. */
export function newStatefulPod(
  set: StatefulSet,
  template: PodTemplate,
  ordinal: number,
  revision: string,
  ref: OwnerReference,
): KubeObject {
  const copy = structuredClone(template);
  const name = podName(set, ordinal);
  const spec = (copy.spec ?? {}) as PodTemplate['spec'] & { volumes?: { name?: string }[] };
  const claims = (set.spec.volumeClaimTemplates ?? []).map((claim) => ({
    name: claim.metadata?.name ?? '',
    persistentVolumeClaim: { claimName: claimName(claim, set, ordinal) },
  }));
  const claimed = new Set(claims.map((c) => c.name));
  const volumes = [...(spec.volumes ?? []).filter((v) => !claimed.has(v.name ?? '')), ...claims];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: {
        ...copy.metadata?.labels,
        [podNameLabel]: name,
        [podIndexLabel]: String(ordinal),
        [labels.controllerRevisionHash]: revision,
      },
      ...(copy.metadata?.annotations ? { annotations: copy.metadata.annotations } : {}),
      ownerReferences: [ref],
    },
    spec: {
      ...spec,
      ...(volumes.length > 0 ? { volumes } : {}),
      hostname: name,
      ...(set.spec.serviceName ? { subdomain: set.spec.serviceName } : {}),
    },
  };
}

/**
 * The claim of `template` for `ordinal`: its labels are the template's plus the set's
 * matchLabels. By default (Retain) it has no owner and outlives pod and set; whenDeleted=Delete
 * makes the set its owner, so the garbage collector removes it with the set.
 */
export function newClaim(
  set: StatefulSet,
  template: ClaimTemplate,
  ordinal: number,
  setRef: OwnerReference,
): KubeObject {
  const copy = structuredClone(template);
  const deleteWithSet = set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(template, set, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...copy.metadata?.labels, ...set.spec.selector?.matchLabels },
      ...(copy.metadata?.annotations ? { annotations: copy.metadata.annotations } : {}),
      ...(deleteWithSet ? { ownerReferences: [plainRef(setRef)] } : {}),
    },
    spec: copy.spec ?? {},
  };
}

/** An owner reference that makes no controller of its owner (claims have none). */
export function plainRef(ref: OwnerReference): OwnerReference {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid };
}
