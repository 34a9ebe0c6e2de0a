// Fuzzed request bodies: creates, updates (also /status) and deletes with DeleteOptions, each a
// valid object of the lane mutated structurally, then serialised well or badly.
import type { ResourceInfo } from '../../api/resources.js';
import type { FuzzRequest } from './fuzz-request.js';
import { randomQuery, resourcePath } from './fuzz-request.js';
import type { FuzzSettings } from './fuzz-settings.js';
import { countObjects, jsonText } from './json-text.js';
import { type LaneScope, namesFor, pickResource, tame, validObject } from './object-corpus.js';
import type { Prng } from './prng.js';
import { type MutationLimits, mutateOnce, randomJson, weirdString } from './value-mutator.js';

export function mutationLimits(settings: FuzzSettings): MutationLimits {
  // 40 levels added under the deepest field of a built-in kind (~20) stays inside kube's 64.
  return { maxAddedDepth: settings.enabled['deep-nesting'] ? 3000 : 40, maxStringLength: 70_000 };
}

/** A valid object, then 0-3 structural mutations (0 keeps some requests valid, so objects exist). */
export function mutatedObject(
  rng: Prng,
  info: ResourceInfo,
  scope: LaneScope,
  name: string,
  limits: MutationLimits,
): { obj: Record<string, unknown>; notes: string[] } {
  const obj = validObject(info, scope, name) as Record<string, unknown>;
  const notes: string[] = [];
  const mutations = rng.chance(0.3) ? 0 : rng.between(1, 3);
  for (let i = 0; i < mutations; i++) notes.push(mutateOnce(rng, obj, limits));
  if (rng.chance(0.15)) notes.push(mutateMetadata(rng, obj, limits));
  return { obj, notes };
}

/** The metadata mistakes clients make: names, namespaces, owner references, server fields. */
function mutateMetadata(rng: Prng, obj: Record<string, unknown>, limits: MutationLimits): string {
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  obj.metadata = meta;
  const field = rng.pick([
    'name',
    'namespace',
    'generateName',
    'resourceVersion',
    'uid',
    'labels',
    'annotations',
    'ownerReferences',
    'finalizers',
    'deletionTimestamp',
    'creationTimestamp',
    'managedFields',
  ]);
  const value = rng.pick([
    weirdString(rng, limits),
    'UPPER-case',
    'a'.repeat(254),
    { 'bad key!': 'v', 'example.com/ok': 'v'.repeat(64) },
    [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'no-such-uid' }],
    ['example.com/never-removed'],
    '2020-01-01T00:00:00Z',
    randomJson(rng, limits, 2),
  ]);
  meta[field] = value;
  return `metadata.${field}`;
}

function deleteOptions(rng: Prng, limits: MutationLimits): Record<string, unknown> {
  const opts: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
  if (rng.chance(0.4))
    opts.propagationPolicy = rng.pick(['Background', 'Foreground', 'Orphan', 'Sideways', 3, null]);
  if (rng.chance(0.3)) opts.gracePeriodSeconds = rng.pick([0, 30, -1, 1.5, '5', 2 ** 63]);
  if (rng.chance(0.3))
    opts.preconditions = rng.pick([
      { uid: 'x' },
      { resourceVersion: '1' },
      { uid: { toString: [] } },
      { resourceVersion: 5 },
      'str',
      null,
      [],
    ]);
  if (rng.chance(0.2)) opts.dryRun = rng.pick([['All'], ['None'], 'All', 5]);
  if (rng.chance(0.2)) opts.orphanDependents = rng.pick([true, false, 'yes']);
  if (rng.chance(0.3)) mutateOnce(rng, opts, limits);
  return opts;
}

/** Serialises a body: mostly proper JSON, sometimes broken, duplicated keys, YAML or garbage. */
export function serialise(
  rng: Prng,
  body: unknown,
): { text: string | Buffer; contentType: string; note: string } {
  const json = 'application/json';
  switch (
    rng.weighted({ json: 78, dup: 8, truncated: 3, yaml: 3, top: 3, empty: 1, protobuf: 2, other: 2 })
  ) {
    case 'dup': {
      const objects = countObjects(body);
      const duplicate = {
        objectIndex: Math.max(0, rng.int(objects)),
        value: rng.pick([null, 1, 'x', {}]),
        first: rng.chance(0.5),
      };
      return { text: jsonText(body, { duplicate }), contentType: json, note: 'duplicated key' };
    }
    case 'truncated': {
      const text = jsonText(body);
      return { text: text.slice(0, rng.int(text.length)), contentType: json, note: 'truncated JSON' };
    }
    case 'yaml':
      // JSON is YAML; add a YAML-only construct now and then.
      return {
        text: rng.chance(0.5)
          ? jsonText(body)
          : `a: &x [*x]\n${rng.pick(['b: !!binary x', 'c: *undefined', '- - -', 'd: {'])}`,
        contentType: 'application/yaml',
        note: 'yaml',
      };
    case 'top':
      return {
        text: JSON.stringify(rng.pick([[body], 'text', 42, null, true, []])),
        contentType: json,
        note: 'not an object',
      };
    case 'empty':
      return { text: '', contentType: json, note: 'empty body' };
    case 'protobuf': {
      const bytes = Buffer.from(Array.from({ length: rng.int(64) }, () => rng.int(256)));
      // Sometimes with Kubernetes' protobuf magic prefix, so the decoder goes past it.
      const magic = rng.chance(0.5) ? Buffer.from([0x6b, 0x38, 0x73, 0x00]) : Buffer.alloc(0);
      return {
        text: Buffer.concat([magic, bytes]),
        contentType: 'application/vnd.kubernetes.protobuf',
        note: 'protobuf garbage',
      };
    }
    case 'other':
      return {
        text: jsonText(body),
        contentType: rng.pick(['text/plain', 'application/cbor', '', 'application/json; charset=latin1']),
        note: 'content type',
      };
    default:
      return { text: jsonText(body), contentType: json, note: 'json' };
  }
}

export function bodyCase(rng: Prng, scope: LaneScope, settings: FuzzSettings): FuzzRequest {
  const limits = mutationLimits(settings);
  const info = pickResource(rng);
  const name = rng.pick(namesFor(info, scope));
  const verb = rng.weighted({
    create: 50,
    update: 30,
    status: info.subresources.includes('status') ? 10 : 0,
    delete: 10,
  });
  const { obj, notes } = mutatedObject(rng, info, scope, name, limits);
  const body = tame(verb === 'delete' ? deleteOptions(rng, limits) : obj);
  const encoded = serialise(rng, body);
  const query = rng.chance(0.25) ? randomQuery(rng) : rng.chance(0.1) ? '?dryRun=All' : '';
  const methods = { create: 'POST', update: 'PUT', status: 'PUT', delete: 'DELETE' };
  const path =
    verb === 'create'
      ? resourcePath(info, scope.namespace)
      : resourcePath(info, scope.namespace, name, verb === 'status' ? 'status' : undefined);
  return {
    method: methods[verb],
    path: path + query,
    headers: encoded.contentType ? { 'Content-Type': encoded.contentType } : {},
    body: encoded.text,
    note: `${verb} ${info.kind} [${notes.join('; ')}] (${encoded.note})`,
    target: {
      info,
      namespace: info.namespaced ? scope.namespace : undefined,
      name,
      ...(verb === 'status' ? { subresource: 'status' } : {}),
    },
    dryRun: /dryRun=All(&|$)/.test(query),
  };
}
