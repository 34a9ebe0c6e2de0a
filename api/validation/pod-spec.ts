// PodSpec rules (ValidatePodSpec), shared by Pods and by every workload's pod template; the
// caller passes the path prefix (`spec` or `spec.template.spec`) so errors point at the
// field the user wrote.
import { duplicate, type FieldError, invalidValue, notSupported, required } from '../errors.js';
import { type ContainerContext, validateContainers } from './container.js';
import { validateEphemeralContainers } from './ephemeral-containers.js';
import { checkNonNegative, requiredBecause } from './field-errors.js';
import {
  isRecord,
  type JsonRecord,
  readArray,
  readBoolean,
  readInteger,
  readRecords,
  readString,
} from './field-readers.js';
import { validateLabels } from './labels.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from './name-formats.js';
import { inclusiveRangeError } from './network-formats.js';
import { validateTolerations } from './tolerations.js';
import { validateVolumes } from './volumes.js';

export const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const maxInt32 = 2147483647;

export interface PodSpecOptions {
  /** True for a Pod; false for a pod template, whose images may still be placeholders. */
  forPod: boolean;
}

export function validatePodSpec(value: unknown, path: string, options: PodSpecOptions): FieldError[] {
  if (!isRecord(value)) return [required(path)];
  const spec = value;
  const errs: FieldError[] = [];
  const str = (key: string) => readString(errs, spec[key], `${path}.${key}`);
  const int = (key: string) => readInteger(errs, spec[key], `${path}.${key}`);

  const volumes = validateVolumes(spec.volumes, `${path}.volumes`);
  errs.push(...volumes.errors);
  const ctx: ContainerContext = {
    volumeNames: volumes.names,
    usedNames: new Set(),
    forPod: options.forPod,
    hostNetwork: readBoolean(errs, spec.hostNetwork, `${path}.hostNetwork`) === true,
  };
  const containers = readArray(errs, spec.containers, `${path}.containers`);
  const wrongType = containers === undefined && spec.containers !== undefined && spec.containers !== null;
  if (!wrongType && (containers ?? []).length === 0) errs.push(required(`${path}.containers`));
  errs.push(...validateContainers(containers, `${path}.containers`, ctx, 'app'));
  errs.push(...validateContainers(spec.initContainers, `${path}.initContainers`, ctx, 'init'));
  errs.push(...validateEphemeralContainers(spec.ephemeralContainers, `${path}.ephemeralContainers`, ctx));

  const restartPolicy = str('restartPolicy');
  if (restartPolicy !== undefined && !restartPolicies.includes(restartPolicy)) {
    errs.push(notSupported(`${path}.restartPolicy`, restartPolicy, restartPolicies));
  }
  errs.push(...validateDns(spec, path, str('dnsPolicy')));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  errs.push(...validateSchedulingGates(spec.schedulingGates, `${path}.schedulingGates`));
  checkNonNegative(errs, int('terminationGracePeriodSeconds'), `${path}.terminationGracePeriodSeconds`);
  const deadline = int('activeDeadlineSeconds');
  if (deadline !== undefined && (deadline < 1 || deadline > maxInt32)) {
    errs.push(invalidValue(`${path}.activeDeadlineSeconds`, deadline, inclusiveRangeError(1, maxInt32)));
  }
  for (const key of ['nodeName', 'serviceAccountName', 'schedulerName', 'priorityClassName']) {
    const name = str(key);
    if (name) errs.push(...isDNS1123Subdomain(name).map((m) => invalidValue(`${path}.${key}`, name, m)));
  }
  for (const key of ['hostname', 'subdomain']) {
    const name = str(key);
    if (name) errs.push(...isDNS1123Label(name).map((m) => invalidValue(`${path}.${key}`, name, m)));
  }
  int('priority');
  for (const key of ['hostPID', 'hostIPC', 'enableServiceLinks', 'automountServiceAccountToken']) {
    readBoolean(errs, spec[key], `${path}.${key}`);
  }
  return errs;
}

function validateDns(spec: JsonRecord, path: string, policy: string | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (policy !== undefined && !dnsPolicies.includes(policy)) {
    errs.push(notSupported(`${path}.dnsPolicy`, policy, dnsPolicies));
  }
  // With dnsPolicy None the pod's resolv.conf comes entirely from dnsConfig.
  if (policy === 'None' && !isRecord(spec.dnsConfig)) {
    errs.push(requiredBecause(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  return errs;
}

function validateSchedulingGates(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [gate, gatePath] of readRecords(errs, value, path)) {
    const name = readString(errs, gate.name, `${gatePath}.name`) ?? '';
    errs.push(...isQualifiedName(name).map((m) => invalidValue(`${gatePath}.name`, name, m)));
    if (seen.has(name)) errs.push(duplicate(`${gatePath}.name`, name));
    seen.add(name);
  }
  return errs;
}
