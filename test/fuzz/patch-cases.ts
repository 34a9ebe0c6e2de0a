// Fuzzed PATCH requests of all three kinds kubectl sends (JSON patch, merge patch, strategic
// merge patch), plus apply and unknown patch types, on the lane's objects and their status and
// scale subresources.
import type { ResourceInfo } from '../../api/resources.js';
import { mutatedObject, mutationLimits, serialise } from './body-cases.js';
import type { FuzzRequest } from './fuzz-request.js';
import { randomQuery, resourcePath } from './fuzz-request.js';
import type { FuzzSettings } from './fuzz-settings.js';
import { type LaneScope, namesFor, pickResource, tame } from './object-corpus.js';
import type { Prng } from './prng.js';
import { hugeNumbers, type MutationLimits, randomJson, weirdScalar, weirdString } from './value-mutator.js';

const contentTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** JSON pointers into `value`, escaped per RFC 6901. */
function pointers(value: unknown, prefix = '', out: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value as object)) {
    const p = `${prefix}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    out.push(p);
    pointers(v, p, out);
  }
  return out;
}

const oddPointers = [
  '',
  '/',
  '//',
  '/~2',
  '/~',
  '/spec/containers/-',
  '/spec/containers/999',
  '/spec/containers/-1',
  '/spec/containers/01',
  'spec',
  '/metadata/labels/a~1b',
  '/__proto__/polluted',
  '/constructor/prototype/polluted',
  '/metadata/__proto__',
];
const identityPointers = ['/kind', '/apiVersion'];

function jsonPatch(
  rng: Prng,
  obj: Record<string, unknown>,
  limits: MutationLimits,
  settings: FuzzSettings,
): unknown[] {
  const known = pointers(obj).filter(
    (p) => settings.enabled['identity-changes'] || !identityPointers.includes(p),
  );
  const pointer = () => (rng.chance(0.85) && known.length > 0 ? rng.pick(known) : rng.pick(oddPointers));
  const value = () => (rng.chance(0.5) ? randomJson(rng, limits, 2) : weirdScalar(rng, limits));
  const ops: unknown[] = [];
  const count =
    settings.enabled['patch-bombs'] && rng.chance(0.01) ? rng.between(10_000, 20_000) : rng.between(1, 6);
  // Self-copies double the document each time: bounded unless patch-bombs is on.
  let copies = settings.enabled['patch-bombs'] ? Number.POSITIVE_INFINITY : 2;
  for (let i = 0; i < count; i++) {
    let kind = rng.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus', '_get']);
    if (kind === 'copy' && copies-- <= 0) kind = 'replace';
    const op: Record<string, unknown> = { op: kind, path: pointer() };
    if (['add', 'replace', 'test', 'bogus'].includes(kind)) op.value = value();
    if (['move', 'copy', '_get'].includes(kind)) op.from = pointer();
    if (rng.chance(0.05)) delete op[rng.pick(['op', 'path', 'value', 'from'])];
    if (rng.chance(0.03)) op.path = rng.pick([5, null, ['a']]);
    ops.push(op);
  }
  return ops;
}

/** A partial object: a random subset of the mutated object's fields, some set to null (delete). */
function partial(rng: Prng, value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || depth > 6) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as object)) {
    if (rng.chance(depth === 0 ? 0.6 : 0.5)) out[k] = rng.chance(0.08) ? null : partial(rng, v, depth + 1);
  }
  return out;
}

const directives = [
  '$patch',
  '$retainKeys',
  '$setElementOrder/containers',
  '$deleteFromPrimitiveList/finalizers',
  '$setElementOrder/ports',
  '$patch/x',
];

/** Strategic merge patch directives (kubectl's $patch, $retainKeys, ...), placed randomly. */
function withDirectives(rng: Prng, patch: unknown, limits: MutationLimits): unknown {
  if (patch === null || typeof patch !== 'object') return patch;
  const objects: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (v === null || typeof v !== 'object') return;
    if (!Array.isArray(v)) objects.push(v as Record<string, unknown>);
    for (const c of Object.values(v as object)) walk(c);
  };
  walk(patch);
  for (let i = rng.between(1, 3); i > 0 && objects.length > 0; i--) {
    const at = rng.pick(objects);
    at[rng.pick(directives)] = rng.pick([
      'replace',
      'delete',
      'merge',
      'bogus',
      [],
      [{ name: 'app' }],
      ['a', null],
      { a: 1 },
      null,
      weirdString(rng, limits),
    ]);
  }
  return patch;
}

function pickSubresource(rng: Prng, info: ResourceInfo): string | undefined {
  if (info.subresources.includes('scale') && rng.chance(0.1)) return 'scale';
  if (info.subresources.includes('status') && rng.chance(0.15)) return 'status';
  return undefined;
}

export function patchCase(rng: Prng, scope: LaneScope, settings: FuzzSettings): FuzzRequest {
  const limits = mutationLimits(settings);
  const info = pickResource(rng);
  const name = rng.pick(namesFor(info, scope));
  const sub = pickSubresource(rng, info);
  const type = rng.weighted({ json: 32, merge: 32, strategic: 30, apply: 3, unknown: 3 });
  const { obj, notes } = mutatedObject(rng, info, scope, name, limits);
  if (sub === 'scale') obj.spec = { replicas: rng.pick([0, 1, 2, ...hugeNumbers, '3', null]) };
  if (!settings.enabled['identity-changes']) {
    delete obj.kind;
    delete obj.apiVersion;
  }
  let patch: unknown;
  if (type === 'json') patch = jsonPatch(rng, obj, limits, settings);
  else if (type === 'strategic') patch = withDirectives(rng, partial(rng, obj), limits);
  else patch = partial(rng, obj);
  const encoded = serialise(rng, tame(patch));
  const contentType =
    type === 'unknown'
      ? rng.pick(['application/json', 'text/plain', 'application/merge-patch+yaml'])
      : contentTypes[type];
  const query = rng.chance(0.2) ? randomQuery(rng) : rng.chance(0.1) ? '?dryRun=All' : '';
  return {
    method: 'PATCH',
    path: resourcePath(info, scope.namespace, name, sub) + query,
    headers: { 'Content-Type': contentType },
    body: encoded.text,
    note: `${type} patch ${info.kind}${sub ? `/${sub}` : ''} [${notes.join('; ')}] (${encoded.note})`,
    target: {
      info,
      namespace: info.namespaced ? scope.namespace : undefined,
      name,
      ...(sub ? { subresource: sub } : {}),
    },
    dryRun: /dryRun=All(&|$)/.test(query),
  };
}
