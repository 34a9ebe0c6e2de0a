// Container environment (validateEnv / validateEnvFrom): variable names, and `valueFrom`
// naming exactly one source.
import { type FieldError, invalidValue, notSupported, required } from '../errors.js';
import { isRecord, type JsonRecord, readRecord, readRecords, readString } from './field-readers.js';
import { isConfigMapKey, isDNS1123Subdomain, isEnvVarName, isQualifiedName } from './name-formats.js';

const valueSources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'];

// The downward API fields a container may read through env (validEnvDownwardAPIFieldPathExpressions).
const envFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

const resourceFields = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

export function validateEnv(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [env, envPath] of readRecords(errs, value, path)) {
    const name = readString(errs, env.name, `${envPath}.name`);
    if (!name) errs.push(required(`${envPath}.name`));
    else errs.push(...isEnvVarName(name).map((m) => invalidValue(`${envPath}.name`, name, m)));
    errs.push(...validateValueFrom(env, `${envPath}.valueFrom`));
  }
  return errs;
}

function validateValueFrom(env: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const from = readRecord(errs, env.valueFrom, path);
  if (!from) return errs;
  const present = valueSources.filter((s) => isRecord(from[s]));
  if (present.length === 0) {
    errs.push(
      invalidValue(
        path,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    );
  } else if (typeof env.value === 'string' && env.value !== '') {
    errs.push(invalidValue(path, '', 'may not be specified when `value` is not empty'));
  } else if (present.length > 1) {
    errs.push(invalidValue(path, '', 'may not have more than one field specified at a time'));
  }
  for (const source of present) {
    const ref = from[source] as JsonRecord;
    const refPath = `${path}.${source}`;
    if (source === 'fieldRef') errs.push(...validateFieldRef(ref, refPath));
    else if (source === 'resourceFieldRef') errs.push(...validateResourceFieldRef(ref, refPath));
    else errs.push(...validateKeySelector(ref, refPath));
  }
  return errs;
}

function validateFieldRef(ref: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const fieldPath = readString(errs, ref.fieldPath, `${path}.fieldPath`);
  if (!fieldPath) return [...errs, required(`${path}.fieldPath`)];
  // metadata.labels['key'] and metadata.annotations['key'] read a single entry.
  const subscript = /^(metadata\.labels|metadata\.annotations)\['(.*)'\]$/.exec(fieldPath);
  if (subscript?.[2] !== undefined) {
    const key = subscript[2];
    const keyCheck = subscript[1] === 'metadata.annotations' ? key.toLowerCase() : key;
    errs.push(...isQualifiedName(keyCheck).map((m) => invalidValue(`${path}.fieldPath`, key, m)));
  } else if (!envFieldPaths.includes(fieldPath)) {
    errs.push(notSupported(`${path}.fieldPath`, fieldPath, envFieldPaths));
  }
  return errs;
}

function validateResourceFieldRef(ref: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const resource = readString(errs, ref.resource, `${path}.resource`);
  if (!resource) errs.push(required(`${path}.resource`));
  else if (!resourceFields.includes(resource) && !/^(limits|requests)\.hugepages-/.test(resource)) {
    errs.push(notSupported(`${path}.resource`, resource, resourceFields));
  }
  return errs;
}

function validateKeySelector(ref: JsonRecord, path: string): FieldError[] {
  const errs = validateRefName(ref, path);
  const key = readString(errs, ref.key, `${path}.key`);
  if (!key) errs.push(required(`${path}.key`));
  else errs.push(...isConfigMapKey(key).map((m) => invalidValue(`${path}.key`, key, m)));
  return errs;
}

function validateRefName(ref: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = readString(errs, ref.name, `${path}.name`);
  if (!name) errs.push(required(`${path}.name`));
  else errs.push(...isDNS1123Subdomain(name).map((m) => invalidValue(`${path}.name`, name, m)));
  return errs;
}

export function validateEnvFrom(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [source, sourcePath] of readRecords(errs, value, path)) {
    const prefix = readString(errs, source.prefix, `${sourcePath}.prefix`);
    if (prefix)
      errs.push(...isEnvVarName(prefix).map((m) => invalidValue(`${sourcePath}.prefix`, prefix, m)));
    const refs = ['configMapRef', 'secretRef'].filter((k) => isRecord(source[k]));
    if (refs.length === 0) {
      errs.push(invalidValue(sourcePath, '', 'must specify one of: `configMapRef` or `secretRef`'));
    } else if (refs.length > 1) {
      errs.push(invalidValue(sourcePath, '', 'may not have more than one field specified at a time'));
    }
    for (const ref of refs) errs.push(...validateRefName(source[ref] as JsonRecord, `${sourcePath}.${ref}`));
  }
  return errs;
}
