// The kinds a CustomResourceDefinition adds: one definition per served version, built from the
// CRD's names, scope, schema, subresources and printer columns, going through the same storage,
// validation, pruning, discovery, OpenAPI and table machinery as the built-in kinds.
import { applySchemaDefaults } from '../../api/defaults/custom-resource-defaults.js';
import type { KubeObject } from '../../api/types.js';
import { type JsonSchemaProps, validateAgainstSchema } from '../../api/validation/custom-resource.js';
import { isRecord } from '../../api/validation/field-readers.js';
import {
  apiSchemaName,
  kindSchema,
  listKindSchema,
  type Schema,
  type SchemaTable,
} from '../apiserver/openapi/schema-builders.js';
import { customResourcePrinter, type PrinterColumn } from '../apiserver/tables/custom-resource-table.js';
import { type KindDefinition, resourceInfo, type ScalePaths } from './kind-definition.js';

/** Marks the objects of a CustomResourceDefinition's resource for cleanup when it goes. */
export const crdCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JsonSchemaProps };
  subresources?: { status?: object; scale?: ScalePaths };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: { jsonPath: string }[];
}

export interface CrdSpec {
  group: string;
  names: CrdNames;
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
}

/** The served kinds of a (validated) CRD, most preferred version first. */
export function customResourceKinds(crd: KubeObject): KindDefinition[] {
  const spec = crd.spec as unknown as CrdSpec;
  const served = spec.versions.filter((v) => v.served !== false);
  return served.sort((a, b) => compareVersions(a.name, b.name)).map((v) => versionKind(spec, v));
}

function versionKind(spec: CrdSpec, version: CrdVersion): KindDefinition {
  const { group, names } = spec;
  const schema = version.schema?.openAPIV3Schema ?? {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  };
  const subresources = [
    ...(version.subresources?.status ? ['status'] : []),
    ...(version.subresources?.scale ? ['scale'] : []),
  ];
  const info = resourceInfo({
    group,
    version: version.name,
    resource: names.plural,
    kind: names.kind,
    namespaced: spec.scope === 'Namespaced',
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    subresources,
  });
  info.singular = names.singular || names.kind.toLowerCase();
  const gvk = { group, version: version.name, kind: names.kind };
  return {
    info,
    custom: true,
    clearStatusOnCreate: subresources.includes('status'),
    schemas: componentSchemas(gvk, schema),
    printer: customResourcePrinter(version.additionalPrinterColumns ?? []),
    default: (obj) => applySchemaDefaults(schema, obj),
    validate: (obj) => validateAgainstSchema(schema, obj, ''),
    validateStatus: (obj) => validateAgainstSchema(schema, obj, ''),
    fieldLabels: (version.selectableFields ?? []).map((f) => f.jsonPath.replace(/^\./, '')),
    ...(version.subresources?.scale ? { scale: version.subresources.scale } : {}),
  };
}

/** The OpenAPI components of one version: the object (its schema plus TypeMeta and ObjectMeta) and its list. */
function componentSchemas(
  gvk: { group: string; version: string; kind: string },
  schema: JsonSchemaProps,
): SchemaTable {
  // metadata is always ObjectMeta (a CRD may only narrow name formats there, which validation of
  // ObjectMeta already covers).
  const { metadata: _metadata, ...properties } = isRecord(schema.properties)
    ? (schema.properties as Record<string, Schema>)
    : {};
  const own = kindSchema(gvk, properties, typeof schema.description === 'string' ? schema.description : '');
  const root: Schema = { ...schema, ...own };
  const list = listKindSchema(gvk);
  return {
    [apiSchemaName(gvk.group, gvk.version, gvk.kind)]: root,
    [apiSchemaName(gvk.group, gvk.version, `${gvk.kind}List`)]: list,
  };
}

const kubeVersion = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes' version priority: GA before beta before alpha, higher numbers first (v2, v1,
 * v1beta2, v1beta1, v1alpha1); names of another shape after them, alphabetically.
 */
export function compareVersions(a: string, b: string): number {
  const ma = kubeVersion.exec(a);
  const mb = kubeVersion.exec(b);
  if (!ma || !mb) return ma ? -1 : mb ? 1 : a.localeCompare(b);
  const stability = (m: RegExpExecArray) => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  return (
    stability(mb) - stability(ma) || Number(mb[1]) - Number(ma[1]) || Number(mb[3] ?? 0) - Number(ma[3] ?? 0)
  );
}

/**
 * Why the names of `crd` clash with those of an older CRD of the same group (its kind, list kind
 * or a short name), or undefined when they do not: such a CRD is not served, as in Kubernetes.
 */
export function namesConflict(crd: KubeObject, older: readonly KubeObject[]): string | undefined {
  const spec = crd.spec as unknown as CrdSpec;
  const mine = namesOf(spec);
  for (const other of older) {
    const otherSpec = other.spec as unknown as CrdSpec;
    if (otherSpec.group !== spec.group) continue;
    if (otherSpec.names.plural === spec.names.plural) return `"${spec.names.plural}" is already in use`;
    const theirs = namesOf(otherSpec);
    const kind = [spec.names.kind, spec.names.listKind].find((k) => k && theirs.kinds.has(k));
    if (kind) return `"${kind}" is already in use`;
    const short = [...mine.short].find((s) => theirs.short.has(s));
    if (short) return `"${short}" is already in use`;
  }
  return undefined;
}

function namesOf(spec: CrdSpec): { kinds: Set<string>; short: Set<string> } {
  const { names } = spec;
  return {
    kinds: new Set([names.kind, names.listKind ?? `${names.kind}List`]),
    short: new Set([names.plural, names.singular ?? '', ...(names.shortNames ?? [])].filter(Boolean)),
  };
}
