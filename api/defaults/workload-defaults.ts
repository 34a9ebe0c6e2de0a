// Workload defaults (kube's SetDefaults_Deployment, _ReplicaSet, _DaemonSet, _StatefulSet, and
// core/v1 _ReplicationController). Unlike the old
// extensions/v1beta1 API, apps/v1 does not copy template labels onto the object.
import type { KubeObject } from '../types.js';
import { isRecord, type JsonRecord } from '../validation/field-readers.js';
import { defaultPodSpec } from './pod-spec-defaults.js';
import { defaultString, defaultValue, existingObject, objectAt, recordsAt } from './set-default.js';
import { defaultPersistentVolumeClaim } from './storage-defaults.js';

const defaultRevisionHistoryLimit = 10;
const defaultProgressDeadlineSeconds = 600;

/** Defaults the pod spec inside `spec.template` (or `spec.jobTemplate.spec.template`). */
export function defaultTemplate(spec: JsonRecord): void {
  const template = objectAt(spec, 'template');
  const podSpec = template && objectAt(template, 'spec');
  if (podSpec) defaultPodSpec(podSpec);
}

export function defaultDeployment(obj: KubeObject): void {
  const spec = objectAt(obj, 'spec');
  if (!spec) return;
  defaultValue(spec, 'replicas', 1);
  const strategy = objectAt(spec, 'strategy');
  if (strategy) {
    defaultString(strategy, 'type', 'RollingUpdate');
    const rolling = strategy.type === 'RollingUpdate' ? objectAt(strategy, 'rollingUpdate') : undefined;
    if (rolling) {
      defaultValue(rolling, 'maxUnavailable', '25%');
      defaultValue(rolling, 'maxSurge', '25%');
    }
  }
  defaultValue(spec, 'revisionHistoryLimit', defaultRevisionHistoryLimit);
  defaultValue(spec, 'progressDeadlineSeconds', defaultProgressDeadlineSeconds);
  defaultTemplate(spec);
}

export function defaultReplicaSet(obj: KubeObject): void {
  const spec = objectAt(obj, 'spec');
  if (!spec) return;
  defaultValue(spec, 'replicas', 1);
  defaultTemplate(spec);
}

export function defaultDaemonSet(obj: KubeObject): void {
  const spec = objectAt(obj, 'spec');
  if (!spec) return;
  const strategy = objectAt(spec, 'updateStrategy');
  if (strategy) {
    defaultString(strategy, 'type', 'RollingUpdate');
    const rolling = strategy.type === 'RollingUpdate' ? objectAt(strategy, 'rollingUpdate') : undefined;
    if (rolling) {
      defaultValue(rolling, 'maxUnavailable', 1);
      defaultValue(rolling, 'maxSurge', 0);
    }
  }
  defaultValue(spec, 'revisionHistoryLimit', defaultRevisionHistoryLimit);
  defaultTemplate(spec);
}

/**
 * apps/v1 SetDefaults_StatefulSet: OrderedReady, RollingUpdate with partition 0 and
 * maxUnavailable 1, claims retained, and each claim template defaulted like a claim.
 */
export function defaultStatefulSet(obj: KubeObject): void {
  const spec = objectAt(obj, 'spec');
  if (!spec) return;
  defaultValue(spec, 'replicas', 1);
  defaultString(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = objectAt(spec, 'updateStrategy');
  if (strategy) {
    defaultString(strategy, 'type', 'RollingUpdate');
    const rolling = strategy.type === 'RollingUpdate' ? objectAt(strategy, 'rollingUpdate') : undefined;
    if (rolling) {
      defaultValue(rolling, 'partition', 0);
      defaultValue(rolling, 'maxUnavailable', 1);
    }
  }
  const retention = objectAt(spec, 'persistentVolumeClaimRetentionPolicy');
  if (retention) {
    defaultString(retention, 'whenDeleted', 'Retain');
    defaultString(retention, 'whenScaled', 'Retain');
  }
  defaultValue(spec, 'revisionHistoryLimit', defaultRevisionHistoryLimit);
  for (const claim of recordsAt(spec, 'volumeClaimTemplates')) defaultPersistentVolumeClaim(claim);
  defaultTemplate(spec);
}

/**
 * core/v1 SetDefaults_ReplicationController: an empty selector and empty labels are taken from
 * the template's labels (unlike apps/v1, the legacy API still does this).
 */
export function defaultReplicationController(obj: KubeObject): void {
  const spec = objectAt(obj, 'spec');
  if (!spec) return;
  const template = existingObject(spec, 'template');
  const labels = template && existingObject(template, 'metadata')?.labels;
  if (isRecord(labels) && Object.keys(labels).length > 0) {
    if (!isRecord(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    const meta = obj.metadata;
    if (!meta.labels || Object.keys(meta.labels).length === 0)
      meta.labels = { ...labels } as Record<string, string>;
  }
  defaultValue(spec, 'replicas', 1);
  defaultTemplate(spec);
}
