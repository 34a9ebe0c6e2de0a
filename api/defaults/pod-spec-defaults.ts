// Defaulting of a PodSpec, shared by Pods and every pod template (kube's SetDefaults_PodSpec,
// SetDefaults_Container, SetDefaults_Probe, SetDefaults_Volume and friends). Pod-only
// defaults live in pod-defaults.ts, as kube keeps them out of templates.
import type { JsonRecord } from '../validation/field-readers.js';
import { defaultPositive, defaultString, defaultValue, existingObject, recordsAt } from './set-default.js';

/** kube's DefaultTerminationGracePeriodSeconds. */
export const defaultGracePeriodSeconds = 30;
/** 0644, the file mode of projected keys. */
const defaultFileMode = 0o644;

const volumeSources = [
  'emptyDir',
  'hostPath',
  'configMap',
  'secret',
  'projected',
  'downwardAPI',
  'persistentVolumeClaim',
  'nfs',
  'iscsi',
  'csi',
  'ephemeral',
  'image',
];

export function defaultPodSpec(spec: JsonRecord): void {
  defaultString(spec, 'dnsPolicy', 'ClusterFirst');
  defaultString(spec, 'restartPolicy', 'Always');
  defaultValue(spec, 'securityContext', {});
  defaultValue(spec, 'terminationGracePeriodSeconds', defaultGracePeriodSeconds);
  defaultString(spec, 'schedulerName', 'default-scheduler');
  // Ephemeral containers get the container defaults too (kube's SetDefaults_EphemeralContainer).
  const lists = ['containers', 'initContainers', 'ephemeralContainers'];
  for (const container of lists.flatMap((list) => recordsAt(spec, list))) defaultContainer(container);
  for (const volume of recordsAt(spec, 'volumes')) defaultVolume(volume);
}

/**
 * `:latest` or no tag at all means "whatever is newest", so it is pulled every time; any
 * other tag or a digest is treated as fixed (kube's SetDefaults_Container).
 */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  const tag = colon >= 0 ? lastPart.slice(colon + 1) : undefined;
  if (tag === 'latest') return 'Always';
  return tag === undefined && at < 0 ? 'Always' : 'IfNotPresent';
}

function defaultContainer(container: JsonRecord): void {
  if (typeof container.image === 'string') {
    defaultString(container, 'imagePullPolicy', defaultPullPolicy(container.image));
  }
  defaultString(container, 'terminationMessagePath', '/dev/termination-log');
  defaultString(container, 'terminationMessagePolicy', 'File');
  // ResourceRequirements is a struct, not a pointer, so kube always serialises it.
  defaultValue(container, 'resources', {});
  for (const port of recordsAt(container, 'ports')) defaultString(port, 'protocol', 'TCP');
  for (const env of recordsAt(container, 'env')) {
    const fieldRef = existingObject(existingObject(env, 'valueFrom') ?? {}, 'fieldRef');
    if (fieldRef) defaultString(fieldRef, 'apiVersion', 'v1');
  }
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = existingObject(container, key);
    if (probe) defaultProbe(probe);
  }
  const lifecycle = existingObject(container, 'lifecycle');
  for (const hook of ['postStart', 'preStop']) {
    const handler = lifecycle && existingObject(lifecycle, hook);
    if (handler) defaultHandler(handler);
  }
}

function defaultProbe(probe: JsonRecord): void {
  defaultPositive(probe, 'timeoutSeconds', 1);
  defaultPositive(probe, 'periodSeconds', 10);
  defaultPositive(probe, 'successThreshold', 1);
  defaultPositive(probe, 'failureThreshold', 3);
  defaultHandler(probe);
}

function defaultHandler(handler: JsonRecord): void {
  const httpGet = existingObject(handler, 'httpGet');
  if (!httpGet) return;
  defaultString(httpGet, 'path', '/');
  defaultString(httpGet, 'scheme', 'HTTP');
}

function defaultVolume(volume: JsonRecord): void {
  // A volume that names no source is an emptyDir (SetDefaults_Volume).
  if (!volumeSources.some((s) => volume[s] !== undefined && volume[s] !== null)) volume.emptyDir = {};
  for (const key of ['configMap', 'secret', 'downwardAPI', 'projected']) {
    const source = existingObject(volume, key);
    if (source) defaultValue(source, 'defaultMode', defaultFileMode);
  }
  const hostPath = existingObject(volume, 'hostPath');
  if (hostPath) defaultValue(hostPath, 'type', '');
  const downward = existingObject(volume, 'downwardAPI');
  if (downward) defaultDownwardItems(downward);
  const projected = existingObject(volume, 'projected');
  for (const source of projected ? recordsAt(projected, 'sources') : []) {
    const part = existingObject(source, 'downwardAPI');
    if (part) defaultDownwardItems(part);
    const token = existingObject(source, 'serviceAccountToken');
    if (token) defaultValue(token, 'expirationSeconds', 3600);
  }
}

function defaultDownwardItems(source: JsonRecord): void {
  for (const item of recordsAt(source, 'items')) {
    const fieldRef = existingObject(item, 'fieldRef');
    if (fieldRef) defaultString(fieldRef, 'apiVersion', 'v1');
  }
}
