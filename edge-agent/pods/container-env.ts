// A container's environment the way the kubelet builds it (makeEnvironmentVariables): envFrom
// sources first (config maps and secrets, with a prefix), then env in order, each literal value
// $(VAR)-expanded against what is defined so far; valueFrom reads config map and secret keys
// (secrets base64-decoded), pod fields and container resources. A missing source that is not
// optional is a CreateContainerConfigError with kubelet's message.

import { parseQuantity } from '../../api/quantity.js';
import type { KubeObject } from '../../api/types.js';
import { expandVars, lookupIn } from './expand-vars.js';
import { type Container, type EnvVar, podName, podNamespace, podSpecOf, podUid } from './pod-spec.js';

export class ContainerConfigError extends Error {
  override name = 'ContainerConfigError';
}

export interface EnvContext {
  pod: KubeObject;
  nodeName: string;
  podIP?: string | undefined;
  hostIP?: string | undefined;
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  /** Used for resourceFieldRef when the container sets no limit (kubelet uses allocatable). */
  nodeCapacity: { cpu: number; memory: number };
}

type Source = 'configmap' | 'secret';

/** The string data of a config map, or the decoded data of a secret. */
function sourceData(
  ctx: EnvContext,
  kind: Source,
  name: string | undefined,
): Map<string, string> | undefined {
  const namespace = podNamespace(ctx.pod);
  const obj = kind === 'configmap' ? ctx.configMap(namespace, name ?? '') : ctx.secret(namespace, name ?? '');
  if (!obj) return undefined;
  const data = (obj.data ?? {}) as Record<string, string>;
  const entries = Object.entries(data).map(([key, value]): [string, string] => [
    key,
    kind === 'secret' ? Buffer.from(value, 'base64').toString('utf8') : value,
  ]);
  if (kind === 'secret') {
    for (const [key, value] of Object.entries((obj.stringData ?? {}) as Record<string, string>)) {
      entries.push([key, value]);
    }
  }
  return new Map(entries);
}

function missing(kind: Source, name: string | undefined): ContainerConfigError {
  return new ContainerConfigError(`${kind} "${name ?? ''}" not found`);
}

const validEnvName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function resolveEnv(container: Container, ctx: EnvContext): { key: string; value: string }[] {
  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind: Source = from.configMapRef ? 'configmap' : 'secret';
    const data = sourceData(ctx, kind, ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw missing(kind, ref.name);
    }
    for (const [key, value] of data) {
      const name = `${from.prefix ?? ''}${key}`;
      if (validEnvName.test(name)) env.set(name, value);
    }
  }
  for (const variable of container.env ?? []) {
    const value = envValue(variable, container, ctx, env);
    if (value !== undefined) env.set(variable.name, value);
  }
  return [...env].map(([key, value]) => ({ key, value }));
}

function envValue(
  variable: EnvVar,
  container: Container,
  ctx: EnvContext,
  defined: ReadonlyMap<string, string>,
): string | undefined {
  const from = variable.valueFrom;
  if (variable.value !== undefined && variable.value !== '')
    return expandVars(variable.value, lookupIn(defined));
  if (!from) return '';
  if (from.fieldRef) return fieldValue(from.fieldRef.fieldPath, ctx);
  if (from.resourceFieldRef) return resourceValue(from.resourceFieldRef, container, ctx);
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (!ref) return '';
  const kind: Source = from.configMapKeyRef ? 'configmap' : 'secret';
  const data = sourceData(ctx, kind, ref.name);
  if (!data) {
    if (ref.optional) return undefined;
    throw missing(kind, ref.name);
  }
  const value = data.get(ref.key);
  if (value !== undefined) return value;
  if (ref.optional) return undefined;
  const kindName = kind === 'configmap' ? 'ConfigMap' : 'Secret';
  throw new ContainerConfigError(
    `couldn't find key ${ref.key} in ${kindName} ${podNamespace(ctx.pod)}/${ref.name ?? ''}`,
  );
}

/** `metadata.labels['app']` → ['labels', 'app']. */
const subscripted = /^metadata\.(labels|annotations)\['(.+)'\]$/;

function formatMap(map: Record<string, string>): string {
  return Object.keys(map)
    .sort()
    .map((key) => `${key}="${map[key]}"`)
    .join('\n');
}

export function fieldValue(path: string, ctx: EnvContext): string {
  const meta = ctx.pod.metadata;
  const match = subscripted.exec(path);
  if (match) return meta[match[1] as 'labels' | 'annotations']?.[match[2] ?? ''] ?? '';
  switch (path) {
    case 'metadata.name':
      return podName(ctx.pod);
    case 'metadata.namespace':
      return podNamespace(ctx.pod);
    case 'metadata.uid':
      return podUid(ctx.pod);
    case 'metadata.labels':
      return formatMap(meta.labels ?? {});
    case 'metadata.annotations':
      return formatMap(meta.annotations ?? {});
    case 'spec.nodeName':
      return podSpecOf(ctx.pod).nodeName ?? ctx.nodeName;
    case 'spec.serviceAccountName':
      return podSpecOf(ctx.pod).serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return ctx.podIP ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return ctx.hostIP ?? '';
    default:
      throw new ContainerConfigError(`unsupported fieldRef ${path}`);
  }
}

function resourceValue(
  ref: { resource: string; containerName?: string; divisor?: string | number },
  container: Container,
  ctx: EnvContext,
): string {
  const target = ref.containerName
    ? (podSpecOf(ctx.pod).containers.find((c) => c.name === ref.containerName) ?? container)
    : container;
  const [section, resource] = ref.resource.split('.') as ['limits' | 'requests', string];
  const limit = target.resources?.limits?.[resource];
  // An unset request defaults to the limit (API defaulting), an unset limit to the node's size.
  const set = section === 'requests' ? (target.resources?.requests?.[resource] ?? limit) : limit;
  const capacity = resource === 'cpu' ? ctx.nodeCapacity.cpu : ctx.nodeCapacity.memory;
  const value = set !== undefined ? parseQuantity(set) : section === 'limits' ? capacity : 0;
  const divisor = ref.divisor !== undefined ? parseQuantity(ref.divisor) : 1;
  // kubelet rounds up: 250m with divisor 1 is 1 CPU, 1Mi with divisor 1k is 1049.
  return String(Math.ceil(value / (divisor || 1) - 1e-9));
}
