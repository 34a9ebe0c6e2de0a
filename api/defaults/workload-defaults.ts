// apps/v1 defaults (kube's SetDefaults_Deployment, _ReplicaSet, _DaemonSet). Unlike the old
// extensions/v1beta1 API, apps/v1 does not copy template labels onto the object.
import type { KubeObject } from '../types.js';
import type { JsonRecord } from '../validation/field-readers.js';
import { defaultPodSpec } from './pod-spec-defaults.js';
import { defaultString, defaultValue, objectAt } from './set-default.js';

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
