// Containers, init containers and the common part of ephemeral containers (validateContainers /
// validateInitContainers / validateContainerCommon): names, image, ports, env, mounts,
// resources, probes and the per-container enums.
import { duplicate, type FieldError, forbidden, invalidValue, notSupported, required } from '../errors.js';
import { validateEnv, validateEnvFrom } from './env.js';
import { fieldNotFound } from './field-errors.js';
import { type JsonRecord, readBoolean, readInteger, readRecords, readString } from './field-readers.js';
import { isDNS1123Label } from './name-formats.js';
import { ipAddressMessage, isValidIP, isValidPortName, isValidPortNum } from './network-formats.js';
import { validateLifecycle, validateProbe } from './probe.js';
import { validateResourceRequirements } from './resource-requirements.js';
import { validateLocalDescendingPath } from './volumes.js';

export interface ContainerContext {
  /** Volume names declared by the pod, for volumeMounts to refer to. */
  volumeNames: Set<string>;
  /** Names already taken, shared between containers and init containers. */
  usedNames: Set<string>;
  /**
   * Pods reject an image with surrounding whitespace; templates tolerate it, as some tools use
   * " " as a placeholder they fill in later (kube's validateContainersOnlyForPod).
   */
  forPod: boolean;
  hostNetwork: boolean;
}

export const portProtocols = ['SCTP', 'TCP', 'UDP'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const messagePolicies = ['File', 'FallbackToLogsOnError'];
const probeFields = ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'];

/** Which list of the pod spec a container is in: its restartPolicy rules differ. */
export type ContainerListKind = 'app' | 'init' | 'ephemeral';

export function validateContainers(
  value: unknown,
  path: string,
  ctx: ContainerContext,
  kind: ContainerListKind,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [container, containerPath] of readRecords(errs, value, path)) {
    errs.push(...validateContainer(container, containerPath, ctx, kind));
  }
  return errs;
}

function validateContainer(
  c: JsonRecord,
  path: string,
  ctx: ContainerContext,
  kind: ContainerListKind,
): FieldError[] {
  const errs: FieldError[] = [];
  const str = (key: string) => readString(errs, c[key], `${path}.${key}`);
  const name = str('name');
  if (!name) errs.push(required(`${path}.name`));
  else {
    errs.push(...isDNS1123Label(name).map((m) => invalidValue(`${path}.name`, name, m)));
    if (ctx.usedNames.has(name)) errs.push(duplicate(`${path}.name`, name));
    ctx.usedNames.add(name);
  }
  const image = str('image');
  if (!image) errs.push(required(`${path}.image`));
  if (image && ctx.forPod && image !== image.trim()) {
    errs.push(invalidValue(`${path}.image`, image, 'must not have leading or trailing whitespace'));
  }
  const pull = str('imagePullPolicy');
  if (pull && !pullPolicies.includes(pull))
    errs.push(notSupported(`${path}.imagePullPolicy`, pull, pullPolicies));
  const messagePolicy = str('terminationMessagePolicy');
  if (messagePolicy && !messagePolicies.includes(messagePolicy)) {
    errs.push(notSupported(`${path}.terminationMessagePolicy`, messagePolicy, messagePolicies));
  }
  // An ephemeral container's restartPolicy is refused with its other forbidden fields.
  if (kind !== 'ephemeral') errs.push(...validateRestartPolicy(c, path, kind === 'init'));
  errs.push(...validatePorts(c.ports, `${path}.ports`, ctx.hostNetwork));
  errs.push(...validateEnv(c.env, `${path}.env`), ...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(c.volumeMounts, `${path}.volumeMounts`, ctx.volumeNames));
  errs.push(...validateResourceRequirements(c.resources, `${path}.resources`));
  errs.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`, true));
  errs.push(...validateProbe(c.readinessProbe, `${path}.readinessProbe`, false));
  errs.push(...validateProbe(c.startupProbe, `${path}.startupProbe`, true));
  errs.push(...validateLifecycle(c.lifecycle, `${path}.lifecycle`));
  return errs;
}

/** Only init containers may set restartPolicy, and only to Always (a sidecar). */
function validateRestartPolicy(c: JsonRecord, path: string, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const policy = readString(errs, c.restartPolicy, `${path}.restartPolicy`);
  if (!init) {
    if (policy !== undefined)
      errs.push(forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'));
    return errs;
  }
  if (policy !== undefined && policy !== 'Always')
    errs.push(notSupported(`${path}.restartPolicy`, policy, ['Always']));
  if (policy === 'Always') return errs;
  // A plain init container runs to completion, so probes and hooks have nothing to watch.
  for (const key of probeFields) {
    if (c[key] !== undefined && c[key] !== null) {
      errs.push(
        forbidden(`${path}.${key}`, 'may not be set for init containers without restartPolicy=Always'),
      );
    }
  }
  return errs;
}

function validatePorts(value: unknown, path: string, hostNetwork: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const [port, portPath] of readRecords(errs, value, path)) {
    const name = readString(errs, port.name, `${portPath}.name`);
    if (name) {
      const problems = isValidPortName(name);
      errs.push(...problems.map((m) => invalidValue(`${portPath}.name`, name, m)));
      if (problems.length === 0 && names.has(name)) errs.push(duplicate(`${portPath}.name`, name));
      names.add(name);
    }
    const containerPort = readInteger(errs, port.containerPort, `${portPath}.containerPort`) ?? 0;
    if (containerPort === 0) errs.push(required(`${portPath}.containerPort`));
    else
      errs.push(
        ...isValidPortNum(containerPort).map((m) =>
          invalidValue(`${portPath}.containerPort`, containerPort, m),
        ),
      );
    const hostPort = readInteger(errs, port.hostPort, `${portPath}.hostPort`) ?? 0;
    if (hostPort !== 0) {
      errs.push(...isValidPortNum(hostPort).map((m) => invalidValue(`${portPath}.hostPort`, hostPort, m)));
      if (hostNetwork && hostPort !== containerPort) {
        errs.push(
          invalidValue(
            `${portPath}.containerPort`,
            containerPort,
            'must match `hostPort` when `hostNetwork` is true',
          ),
        );
      }
    }
    const protocol = readString(errs, port.protocol, `${portPath}.protocol`);
    if (protocol !== undefined && !portProtocols.includes(protocol)) {
      errs.push(notSupported(`${portPath}.protocol`, protocol, portProtocols));
    }
    const hostIP = readString(errs, port.hostIP, `${portPath}.hostIP`);
    if (hostIP && !isValidIP(hostIP)) errs.push(invalidValue(`${portPath}.hostIP`, hostIP, ipAddressMessage));
  }
  return errs;
}

function validateVolumeMounts(value: unknown, path: string, volumeNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const mountPaths = new Set<string>();
  for (const [mount, mountPath] of readRecords(errs, value, path)) {
    const name = readString(errs, mount.name, `${mountPath}.name`) ?? '';
    if (!name) errs.push(required(`${mountPath}.name`));
    if (!volumeNames.has(name)) errs.push(fieldNotFound(`${mountPath}.name`, name));
    const target = readString(errs, mount.mountPath, `${mountPath}.mountPath`) ?? '';
    if (!target) errs.push(required(`${mountPath}.mountPath`));
    else if (mountPaths.has(target))
      errs.push(invalidValue(`${mountPath}.mountPath`, target, 'must be unique'));
    mountPaths.add(target);
    const subPath = readString(errs, mount.subPath, `${mountPath}.subPath`);
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, `${mountPath}.subPath`));
    readBoolean(errs, mount.readOnly, `${mountPath}.readOnly`);
  }
  return errs;
}
