// The parts of core/v1 Pod that pod sync reads. Pods arrive as plain JSON in the desired state
// (validated and defaulted by the hub's API server), so every field is optional here and the
// accessors below fill in the kube defaults a hand-made desired state may lack.
import type { Quantities } from '../../api/core-v1.js';
import type { KubeObject } from '../../api/types.js';

export type { Quantities } from '../../api/core-v1.js';

export interface KeyRef {
  name?: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: KeyRef;
    secretKeyRef?: KeyRef;
    fieldRef?: { fieldPath: string; apiVersion?: string };
    resourceFieldRef?: { resource: string; containerName?: string; divisor?: string | number };
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export interface Probe {
  exec?: { command?: string[] };
  httpGet?: {
    path?: string;
    port: number | string;
    host?: string;
    scheme?: 'HTTP' | 'HTTPS';
    httpHeaders?: { name: string; value: string }[];
  };
  tcpSocket?: { port: number | string; host?: string };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: ContainerPort[];
  resources?: { requests?: Quantities; limits?: Quantities };
  volumeMounts?: VolumeMount[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
}

/** A debugging container added to a running pod (kubectl debug); started once, never restarted. */
export interface EphemeralContainer extends Container {
  /** Shares this container's process namespace (CRI NamespaceMode TARGET). */
  targetContainerName?: string;
}

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  hostPath?: { path: string; type?: string };
  configMap?: { name?: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  secret?: { secretName?: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  downwardAPI?: { items?: DownwardItem[]; defaultMode?: number };
  projected?: { sources?: ProjectedSource[]; defaultMode?: number };
}

export interface DownwardItem {
  path: string;
  fieldRef?: { fieldPath: string };
  resourceFieldRef?: { resource: string; containerName?: string };
  mode?: number;
}

export interface ProjectedSource {
  configMap?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items?: DownwardItem[] };
  serviceAccountToken?: { audience?: string; expirationSeconds?: number; path: string };
}

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export interface PodSpec {
  nodeName?: string;
  hostNetwork?: boolean;
  hostname?: string;
  restartPolicy?: RestartPolicy;
  terminationGracePeriodSeconds?: number;
  initContainers?: Container[];
  containers: Container[];
  ephemeralContainers?: EphemeralContainer[];
  volumes?: Volume[];
  serviceAccountName?: string;
}

/** kube's DefaultTerminationGracePeriodSeconds. */
export const defaultGracePeriodSeconds = 30;

export function podSpecOf(pod: KubeObject): PodSpec {
  const spec = (pod.spec ?? {}) as Partial<PodSpec>;
  return { ...spec, containers: spec.containers ?? [] };
}

export function podUid(pod: KubeObject): string {
  return pod.metadata.uid ?? '';
}

export function podName(pod: KubeObject): string {
  return pod.metadata.name ?? '';
}

export function podNamespace(pod: KubeObject): string {
  return pod.metadata.namespace ?? 'default';
}

/** kubelet's format.Pod: `name_namespace(uid)`, used in its messages. */
export function podDescription(pod: KubeObject): string {
  return `${podName(pod)}_${podNamespace(pod)}(${podUid(pod)})`;
}

export function restartPolicyOf(pod: KubeObject): RestartPolicy {
  return podSpecOf(pod).restartPolicy ?? 'Always';
}

export function initContainersOf(pod: KubeObject): Container[] {
  return podSpecOf(pod).initContainers ?? [];
}

export function appContainersOf(pod: KubeObject): Container[] {
  return podSpecOf(pod).containers;
}

export function ephemeralContainersOf(pod: KubeObject): EphemeralContainer[] {
  return podSpecOf(pod).ephemeralContainers ?? [];
}

/** Every container of the pod with the list it is in (exec and logs reach all of them). */
export function allContainersOf(pod: KubeObject): { container: Container; kind: ContainerKind }[] {
  return [
    ...initContainersOf(pod).map((container) => ({ container, kind: 'init' as const })),
    ...appContainersOf(pod).map((container) => ({ container, kind: 'app' as const })),
    ...ephemeralContainersOf(pod).map((container) => ({ container, kind: 'ephemeral' as const })),
  ];
}

/** Which list of the spec a container is in. */
export type ContainerKind = 'init' | 'app' | 'ephemeral';

export function isDeleting(pod: KubeObject): boolean {
  return typeof pod.metadata.deletionTimestamp === 'string';
}

/** The grace a stop gets: the deletion's own (kubectl delete --grace-period) or the spec's. */
export function gracePeriodOf(pod: KubeObject): number {
  const fromDeletion = pod.metadata.deletionGracePeriodSeconds;
  if (typeof fromDeletion === 'number' && isDeleting(pod)) return fromDeletion;
  return podSpecOf(pod).terminationGracePeriodSeconds ?? defaultGracePeriodSeconds;
}

/** `:latest` or no tag pulls Always, anything else IfNotPresent (kube's SetDefaults_Container). */
export function pullPolicyOf(container: Container): 'Always' | 'IfNotPresent' | 'Never' {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const image = container.image;
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const last = name.slice(name.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  if (colon < 0) return at >= 0 ? 'IfNotPresent' : 'Always';
  return last.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}
