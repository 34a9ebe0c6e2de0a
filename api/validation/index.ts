// Entry points the API server calls after defaulting: one table of per-kind rules, plus the
// ObjectMeta rules every kind shares. Each returns FieldErrors; the server wraps a non-empty
// list with `invalid(kind, group, name, errors)` into a 422 Status.

import type { FieldError } from '../errors.js';
import { resources } from '../resources.js';
import type { KubeObject } from '../types.js';
import { validateConfigMap } from './config-map.js';
import { validateControllerRevision } from './controller-revision.js';
import { validateCronJob } from './cron-job.js';
import { validateDaemonSet } from './daemon-set.js';
import { validateDeployment } from './deployment.js';
import { validateEndpointSlice } from './endpoint-slice.js';
import { validateEndpoints } from './endpoints.js';
import { validateEvent } from './event.js';
import { validateJob } from './job.js';
import { validateLease } from './lease.js';
import { validateNamespace } from './namespace.js';
import { validateNode } from './node.js';
import {
  type MetaRules,
  type NameFormat,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './object-meta.js';
import { validatePod } from './pod.js';
import { validateReplicaSet } from './replica-set.js';
import { validateSecret } from './secret.js';
import { validateService } from './service.js';
import { statusRules } from './status.js';

/** Kind-specific rules; `old` is passed on update so immutability can be checked. */
type KindRule = (obj: KubeObject, old?: KubeObject) => FieldError[];

const kindRules: Record<string, KindRule> = {
  Namespace: validateNamespace,
  Node: validateNode,
  Pod: validatePod,
  Service: validateService,
  Endpoints: validateEndpoints,
  ConfigMap: validateConfigMap,
  Secret: validateSecret,
  Event: validateEvent,
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  DaemonSet: validateDaemonSet,
  ControllerRevision: validateControllerRevision,
  Job: validateJob,
  CronJob: validateCronJob,
  Lease: validateLease,
  EndpointSlice: validateEndpointSlice,
};

// Namespaces are DNS labels (they appear in DNS names); Services are DNS-1035 labels in
// kube-apiserver 1.32 (they must start with a letter to be usable as environment variable
// prefixes). Everything else is a DNS subdomain.
const nameFormats: Record<string, NameFormat> = { Namespace: 'label', Service: 'dns1035' };

function metaRules(kind: string): MetaRules {
  const info = resources.find((r) => r.kind === kind);
  return { namespaced: info?.namespaced ?? true, nameFormat: nameFormats[kind] ?? 'subdomain' };
}

export function validateCreate(kind: string, obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, metaRules(kind));
  errs.push(...(kindRules[kind]?.(obj) ?? []));
  return errs;
}

export function validateUpdate(kind: string, obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, metaRules(kind));
  errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
  errs.push(...(kindRules[kind]?.(obj, old) ?? []));
  return errs;
}

export function validateStatusUpdate(kind: string, obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, metaRules(kind));
  errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
  errs.push(...(statusRules[kind]?.(obj, old) ?? []));
  return errs;
}
