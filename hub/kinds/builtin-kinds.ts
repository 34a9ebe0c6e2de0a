// The kinds built into the hub, in the order discovery lists them.

import { groupVersion, type ResourceInfo } from '../../api/resources.js';
import type { KindValidation } from '../../api/validation/index.js';
import { customResourceDefinitionKind } from './apiextensions/custom-resource-definition.js';
import { controllerRevisionKind } from './apps/controller-revision.js';
import { daemonSetKind } from './apps/daemon-set.js';
import { deploymentKind } from './apps/deployment.js';
import { replicaSetKind } from './apps/replica-set.js';
import { statefulSetKind } from './apps/stateful-set.js';
import { selfSubjectReviewKind, selfSubjectReviewV1beta1Kind } from './authentication/self-subject-review.js';
import { localSubjectAccessReviewKind } from './authorization/local-subject-access-review.js';
import { selfSubjectAccessReviewKind } from './authorization/self-subject-access-review.js';
import { selfSubjectRulesReviewKind } from './authorization/self-subject-rules-review.js';
import { subjectAccessReviewKind } from './authorization/subject-access-review.js';
import { cronJobKind } from './batch/cron-job.js';
import { jobKind } from './batch/job.js';
import { leaseKind } from './coordination/lease.js';
import { configMapKind } from './core/config-map.js';
import { endpointsKind } from './core/endpoints.js';
import { eventKind } from './core/event.js';
import { namespaceKind } from './core/namespace.js';
import { nodeKind } from './core/node.js';
import { persistentVolumeKind } from './core/persistent-volume.js';
import { persistentVolumeClaimKind } from './core/persistent-volume-claim.js';
import { podKind } from './core/pod.js';
import { replicationControllerKind } from './core/replication-controller.js';
import { secretKind } from './core/secret.js';
import { serviceKind } from './core/service.js';
import { serviceAccountKind } from './core/service-account.js';
import { endpointSliceKind } from './discovery/endpoint-slice.js';
import { siteKind } from './flotilla/site.js';
import { type KindDefinition, kindValidation } from './kind-definition.js';
import { nodeMetricsKind } from './metrics/node-metrics.js';
import { podMetricsKind } from './metrics/pod-metrics.js';
import { ingressKind } from './networking/ingress.js';
import { clusterRoleKind } from './rbac/cluster-role.js';
import { clusterRoleBindingKind } from './rbac/cluster-role-binding.js';
import { roleKind } from './rbac/role.js';
import { roleBindingKind } from './rbac/role-binding.js';

export const builtinKinds: readonly KindDefinition[] = [
  namespaceKind,
  nodeKind,
  podKind,
  serviceKind,
  endpointsKind,
  configMapKind,
  secretKind,
  serviceAccountKind,
  eventKind,
  replicationControllerKind,
  persistentVolumeKind,
  persistentVolumeClaimKind,
  deploymentKind,
  replicaSetKind,
  daemonSetKind,
  statefulSetKind,
  controllerRevisionKind,
  jobKind,
  cronJobKind,
  leaseKind,
  endpointSliceKind,
  ingressKind,
  customResourceDefinitionKind,
  roleKind,
  clusterRoleKind,
  roleBindingKind,
  clusterRoleBindingKind,
  selfSubjectReviewKind,
  selfSubjectReviewV1beta1Kind,
  selfSubjectAccessReviewKind,
  selfSubjectRulesReviewKind,
  subjectAccessReviewKind,
  nodeMetricsKind,
  podMetricsKind,
  siteKind,
  localSubjectAccessReviewKind,
];

/** The served resources, in discovery order. */
export const servedResources: readonly ResourceInfo[] = builtinKinds.map((k) => k.info);

/** The kind serving `<group>/<version>/<resource>`. */
export function kindForResource(
  group: string,
  version: string,
  resource: string,
): KindDefinition | undefined {
  return builtinKinds.find(
    (k) => k.info.group === group && k.info.version === version && k.info.resource === resource,
  );
}

/** The kind of an object's apiVersion and kind. */
export function kindOf(apiVersion: string, kind: string): KindDefinition | undefined {
  return builtinKinds.find((k) => groupVersion(k.info) === apiVersion && k.info.kind === kind);
}

/** A built-in kind by its name alone (built-in kind names are unique across groups). */
export function kindNamed(kind: string): KindDefinition | undefined {
  return builtinKinds.find((k) => k.info.kind === kind);
}

/** The validation facts of a built-in kind, by name. */
export function validationOf(kind: string): KindValidation {
  const found = kindNamed(kind);
  if (!found) throw new Error(`no built-in kind ${kind}`);
  return kindValidation(found);
}
