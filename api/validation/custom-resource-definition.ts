// apiextensions.k8s.io/v1 CustomResourceDefinition rules: the name is `<plural>.<group>`, the
// names are DNS labels, exactly one version is stored, every version has a structural schema,
// printer columns and scale paths are well formed, and the scope never changes.
import { duplicate, type FieldError, forbidden, invalidValue, notSupported, required } from '../errors.js';
import { jsonPathError } from '../json-path.js';
import type { KubeObject } from '../types.js';
import { immutable } from './field-errors.js';
import {
  isRecord,
  readArray,
  readBoolean,
  readRecord,
  readRecords,
  readString,
  readStrings,
} from './field-readers.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './name-formats.js';
import { validateStructuralSchema } from './structural-schema.js';

const scopes = ['Namespaced', 'Cluster'];
const columnTypes = ['integer', 'number', 'string', 'boolean', 'date'];

export function validateCustomResourceDefinition(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec');
  if (!spec) return [...errs, required('spec')];
  const group = readString(errs, spec.group, 'spec.group');
  if (!group) errs.push(required('spec.group'));
  else {
    for (const message of isDNS1123Subdomain(group)) errs.push(invalidValue('spec.group', group, message));
    if (!group.includes('.'))
      errs.push(invalidValue('spec.group', group, 'should be a domain with at least one dot'));
  }
  const names = validateNames(errs, spec.names, 'spec.names');
  if (names.plural && group && obj.metadata.name !== `${names.plural}.${group}`) {
    errs.push(invalidValue('metadata.name', obj.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  }
  const scope = readString(errs, spec.scope, 'spec.scope');
  if (!scope) errs.push(required('spec.scope'));
  else if (!scopes.includes(scope)) errs.push(notSupported('spec.scope', scope, scopes));
  validateVersions(errs, spec.versions);
  const conversion = readRecord(errs, spec.conversion, 'spec.conversion');
  const strategy = readString(errs, conversion?.strategy, 'spec.conversion.strategy');
  if (strategy !== undefined && strategy !== 'None') {
    // Webhook conversion needs a webhook server to call; Flotilla serves versions that differ
    // only in apiVersion.
    errs.push(notSupported('spec.conversion.strategy', strategy, ['None']));
  }
  if (readBoolean(errs, spec.preserveUnknownFields, 'spec.preserveUnknownFields') === true) {
    errs.push(invalidValue('spec.preserveUnknownFields', true, 'must be false in v1'));
  }
  if (old) {
    const oldSpec = isRecord(old.spec) ? old.spec : {};
    if (scope !== undefined && oldSpec.scope !== undefined && scope !== oldSpec.scope) {
      errs.push(immutable('spec.scope', scope));
    }
    validateStoredVersions(errs, obj, spec);
  }
  return errs;
}

interface Names {
  plural?: string;
}

function validateNames(errs: FieldError[], value: unknown, path: string): Names {
  const names = readRecord(errs, value, path);
  if (!names) {
    errs.push(required(path));
    return {};
  }
  const plural = readString(errs, names.plural, `${path}.plural`);
  for (const field of ['plural', 'singular'] as const) {
    const name = readString(errs, names[field], `${path}.${field}`);
    if (name === undefined || name === '') {
      if (field === 'plural') errs.push(required(`${path}.plural`));
      continue;
    }
    for (const message of isDNS1035Label(name)) errs.push(invalidValue(`${path}.${field}`, name, message));
  }
  for (const field of ['kind', 'listKind'] as const) {
    const kind = readString(errs, names[field], `${path}.${field}`);
    if (kind === undefined || kind === '') {
      if (field === 'kind') errs.push(required(`${path}.kind`));
      continue;
    }
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(kind) || kind.length > 63) {
      errs.push(
        invalidValue(`${path}.${field}`, kind, 'must be a CamelCase name of at most 63 letters and digits'),
      );
    }
  }
  const short = readStrings(errs, names.shortNames, `${path}.shortNames`);
  for (const [i, name] of short.entries()) {
    for (const message of isDNS1123Label(name))
      errs.push(invalidValue(`${path}.shortNames[${i}]`, name, message));
  }
  const categories = readStrings(errs, names.categories, `${path}.categories`);
  for (const [i, name] of categories.entries()) {
    for (const message of isDNS1123Label(name))
      errs.push(invalidValue(`${path}.categories[${i}]`, name, message));
  }
  return { ...(plural ? { plural } : {}) };
}

function validateVersions(errs: FieldError[], value: unknown): void {
  const versions = readRecords(errs, value, 'spec.versions');
  if (readArray([], value, 'spec.versions') === undefined || versions.length === 0) {
    errs.push(
      required('spec.versions', 'Required value: must have exactly one version marked as storage version'),
    );
    return;
  }
  const seen = new Set<string>();
  let storage = 0;
  for (const [version, at] of versions) {
    const name = readString(errs, version.name, `${at}.name`);
    if (!name) errs.push(required(`${at}.name`));
    else {
      for (const message of isDNS1035Label(name)) errs.push(invalidValue(`${at}.name`, name, message));
      if (seen.has(name)) errs.push(duplicate(`${at}.name`, name));
      seen.add(name);
    }
    readBoolean(errs, version.served, `${at}.served`);
    if (readBoolean(errs, version.storage, `${at}.storage`) === true) storage++;
    const schema = readRecord(errs, version.schema, `${at}.schema`);
    const root = schema?.openAPIV3Schema;
    if (root === undefined || root === null) errs.push(required(`${at}.schema.openAPIV3Schema`));
    else errs.push(...validateStructuralSchema(root, `${at}.schema.openAPIV3Schema`));
    validateColumns(errs, version.additionalPrinterColumns, `${at}.additionalPrinterColumns`);
    validateSubresources(errs, version.subresources, `${at}.subresources`);
  }
  if (storage !== 1) {
    errs.push(
      invalidValue('spec.versions', storage, 'must have exactly one version marked as storage version'),
    );
  }
  if (!versions.some(([v]) => v.served === true)) {
    errs.push(invalidValue('spec.versions', 'none served', 'must have at least one served version'));
  }
}

function validateColumns(errs: FieldError[], value: unknown, path: string): void {
  for (const [column, at] of readRecords(errs, value, path)) {
    const name = readString(errs, column.name, `${at}.name`);
    if (!name) errs.push(required(`${at}.name`));
    const type = readString(errs, column.type, `${at}.type`);
    if (!type) errs.push(required(`${at}.type`));
    else if (!columnTypes.includes(type)) errs.push(notSupported(`${at}.type`, type, columnTypes));
    const jsonPath = readString(errs, column.jsonPath, `${at}.jsonPath`);
    if (!jsonPath) errs.push(required(`${at}.jsonPath`));
    else {
      const why = jsonPathError(jsonPath);
      if (why) errs.push(invalidValue(`${at}.jsonPath`, jsonPath, why));
    }
    const priority = column.priority;
    if (
      priority !== undefined &&
      (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0)
    ) {
      errs.push(invalidValue(`${at}.priority`, priority, 'must be a non-negative integer'));
    }
  }
}

function validateSubresources(errs: FieldError[], value: unknown, path: string): void {
  const subresources = readRecord(errs, value, path);
  readRecord(errs, subresources?.status, `${path}.status`);
  const scale = readRecord(errs, subresources?.scale, `${path}.scale`);
  if (!scale) return;
  const paths = [
    ['specReplicasPath', '.spec.'],
    ['statusReplicasPath', '.status.'],
    ['labelSelectorPath', '.status.'],
  ] as const;
  for (const [field, prefix] of paths) {
    const text = readString(errs, scale[field], `${path}.scale.${field}`);
    if (text === undefined || text === '') {
      if (field !== 'labelSelectorPath') errs.push(required(`${path}.scale.${field}`));
      continue;
    }
    // Simple dotted paths only, as kube-apiserver requires: it writes replicas there.
    const allowedPrefix = field === 'labelSelectorPath' ? ['.spec.', '.status.'] : [prefix];
    if (!allowedPrefix.some((p) => text.startsWith(p)) || !/^(\.[A-Za-z0-9_-]+)+$/.test(text)) {
      errs.push(
        invalidValue(
          `${path}.scale.${field}`,
          text,
          `should be a json path under ${allowedPrefix.join(' or ')}`,
        ),
      );
    }
  }
}

/** On update: every version objects may still be stored in must stay in spec.versions. */
function validateStoredVersions(errs: FieldError[], obj: KubeObject, spec: Record<string, unknown>): void {
  const status = isRecord(obj.status) ? obj.status : {};
  const stored = Array.isArray(status.storedVersions) ? status.storedVersions : [];
  const names = new Set(
    (Array.isArray(spec.versions) ? spec.versions : []).map((v) => (isRecord(v) ? v.name : undefined)),
  );
  for (const [i, version] of stored.entries()) {
    if (!names.has(version)) {
      errs.push(
        forbidden(`status.storedVersions[${i}]`, `must appear in spec.versions (${String(version)})`),
      );
    }
  }
}
