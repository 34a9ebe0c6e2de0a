// Pod volumes (validateVolumes): unique DNS-label names and exactly one source among those
// the edge agent can provide. Kube volume types Flotilla does not implement are refused
// explicitly rather than accepted and left unmountable.
import { duplicate, type FieldError, forbidden, invalidValue, notSupported, required } from '../errors.js';
import { quantityError } from '../quantity.js';
import { requiredBecause } from './field-errors.js';
import {
  isRecord,
  type JsonRecord,
  readInteger,
  readRecord,
  readRecords,
  readString,
} from './field-readers.js';
import { isDNS1123Label, isDNS1123Subdomain } from './name-formats.js';

const supportedSources = [
  'emptyDir',
  'hostPath',
  'configMap',
  'secret',
  'projected',
  'downwardAPI',
  'persistentVolumeClaim',
];

const unsupportedSources = [
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

const hostPathTypes = [
  '',
  'DirectoryOrCreate',
  'Directory',
  'FileOrCreate',
  'File',
  'Socket',
  'CharDevice',
  'BlockDevice',
];

const fileModeMessage = 'must be a number between 0 and 0777 (octal), both inclusive';

export interface VolumesResult {
  errors: FieldError[];
  names: Set<string>;
}

export function validateVolumes(value: unknown, path: string): VolumesResult {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  for (const [volume, volumePath] of readRecords(errors, value, path)) {
    errors.push(...validateVolumeSource(volume, volumePath));
    const name = readString(errors, volume.name, `${volumePath}.name`);
    if (!name) errors.push(required(`${volumePath}.name`));
    else errors.push(...isDNS1123Label(name).map((m) => invalidValue(`${volumePath}.name`, name, m)));
    if (name && names.has(name)) errors.push(duplicate(`${volumePath}.name`, name));
    if (name) names.add(name);
  }
  return { errors, names };
}

function validateVolumeSource(volume: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let found = 0;
  for (const kind of supportedSources) {
    if (volume[kind] === undefined || volume[kind] === null) continue;
    if (found > 0) {
      errs.push(forbidden(`${path}.${kind}`, 'may not specify more than 1 volume type'));
      continue;
    }
    found++;
    const source = readRecord(errs, volume[kind], `${path}.${kind}`);
    if (source) errs.push(...validateSource(kind, source, `${path}.${kind}`));
  }
  for (const kind of unsupportedSources) {
    if (volume[kind] !== undefined) {
      found++;
      errs.push(forbidden(`${path}.${kind}`, 'volume type is not supported by Flotilla'));
    }
  }
  if (found === 0) errs.push(requiredBecause(path, 'must specify a volume type'));
  return errs;
}

function validateSource(kind: string, source: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const str = (key: string) => readString(errs, source[key], `${path}.${key}`);
  switch (kind) {
    case 'emptyDir': {
      const medium = str('medium') ?? '';
      if (medium !== '' && medium !== 'Memory' && !medium.startsWith('HugePages')) {
        errs.push(notSupported(`${path}.medium`, medium, ['', 'Memory', 'HugePages']));
      }
      const limit = source.sizeLimit;
      const problem = limit === undefined || limit === null ? undefined : quantityError(limit);
      if (problem) errs.push(invalidValue(`${path}.sizeLimit`, limit, problem));
      break;
    }
    case 'hostPath': {
      if (!str('path')) errs.push(required(`${path}.path`));
      const type = str('type') ?? '';
      if (!hostPathTypes.includes(type)) errs.push(notSupported(`${path}.type`, type, hostPathTypes));
      break;
    }
    case 'configMap':
      errs.push(...validateObjectName(str('name'), `${path}.name`));
      errs.push(...validateProjection(source, path));
      break;
    case 'secret':
      errs.push(...validateObjectName(str('secretName'), `${path}.secretName`));
      errs.push(...validateProjection(source, path));
      break;
    case 'persistentVolumeClaim':
      if (!str('claimName')) errs.push(required(`${path}.claimName`));
      break;
    case 'downwardAPI':
      errs.push(...validateProjection(source, path));
      break;
    default:
      errs.push(...validateProjectedSources(source, path));
  }
  return errs;
}

function validateObjectName(name: string | undefined, path: string): FieldError[] {
  if (!name) return [required(path)];
  return isDNS1123Subdomain(name).map((m) => invalidValue(path, name, m));
}

/** `items` and `defaultMode` shared by configMap, secret and downwardAPI sources. */
function validateProjection(source: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mode = readInteger(errs, source.defaultMode, `${path}.defaultMode`);
  if (mode !== undefined && (mode < 0 || mode > 0o777))
    errs.push(invalidValue(`${path}.defaultMode`, mode, fileModeMessage));
  for (const [item, itemPath] of readRecords(errs, source.items, `${path}.items`)) {
    const target = readString(errs, item.path, `${itemPath}.path`);
    if (!target) errs.push(required(`${itemPath}.path`));
    else errs.push(...validateLocalDescendingPath(target, `${itemPath}.path`));
    if (
      !isRecord(item.fieldRef) &&
      !isRecord(item.resourceFieldRef) &&
      !readString(errs, item.key, `${itemPath}.key`)
    ) {
      errs.push(required(`${itemPath}.key`));
    }
    const itemMode = readInteger(errs, item.mode, `${itemPath}.mode`);
    if (itemMode !== undefined && (itemMode < 0 || itemMode > 0o777)) {
      errs.push(invalidValue(`${itemPath}.mode`, itemMode, fileModeMessage));
    }
  }
  return errs;
}

function validateProjectedSources(source: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const kinds = ['configMap', 'secret', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle'];
  for (const [projection, projectionPath] of readRecords(errs, source.sources, `${path}.sources`)) {
    const present = kinds.filter((k) => isRecord(projection[k]));
    if (present.length === 0) errs.push(requiredBecause(projectionPath, 'must specify exactly one source'));
    for (const extra of present.slice(1)) {
      errs.push(
        forbidden(`${projectionPath}.${extra}`, 'may not specify more than 1 volume type per source'),
      );
    }
    for (const kind of present.slice(0, 1)) {
      const part = projection[kind] as JsonRecord;
      if (kind === 'configMap' || kind === 'secret' || kind === 'downwardAPI') {
        errs.push(...validateProjection(part, `${projectionPath}.${kind}`));
      } else if (
        kind === 'serviceAccountToken' &&
        !readString(errs, part.path, `${projectionPath}.${kind}.path`)
      ) {
        errs.push(required(`${projectionPath}.${kind}.path`));
      }
    }
  }
  return errs;
}

/** Paths inside a volume must stay inside it (validateLocalDescendingPath). */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalidValue(path, target, 'must be a relative path'));
  if (target.split('/').includes('..')) errs.push(invalidValue(path, target, "must not contain '..'"));
  return errs;
}
