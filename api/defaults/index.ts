// The entry point the API server calls before validation: Kubernetes defaulting for every
// kind the hub serves. It mutates the object in place, so the caller passes a copy it owns
// (never an object from a cache). Kinds without defaults are left untouched.
import type { KubeObject } from '../types.js';
import { defaultCronJob, defaultJob } from './batch-defaults.js';
import {
  defaultEndpointSlice,
  defaultEndpoints,
  defaultNamespace,
  defaultNode,
  defaultSecret,
} from './core-defaults.js';
import { defaultPod } from './pod-defaults.js';
import { defaultService } from './service-defaults.js';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet } from './workload-defaults.js';

const defaulters: Record<string, (obj: KubeObject) => void> = {
  Namespace: defaultNamespace,
  Node: defaultNode,
  Pod: defaultPod,
  Service: defaultService,
  Endpoints: defaultEndpoints,
  Secret: defaultSecret,
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  DaemonSet: defaultDaemonSet,
  Job: defaultJob,
  CronJob: defaultCronJob,
  EndpointSlice: defaultEndpointSlice,
};

export function applyDefaults(kind: string, obj: KubeObject): void {
  defaulters[kind]?.(obj);
}
