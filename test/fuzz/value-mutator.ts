// Structure-aware mutation of JSON values: take a valid object and break it where a careless
// or hostile client would — wrong types, nulls, huge numbers, long and odd strings, missing
// and extra fields, arrays where objects belong and back, deep nesting.

import { RawJson } from './json-text.js';
import type { Prng } from './prng.js';

export interface MutationLimits {
  /** Deepest nesting a mutation adds (kept under kube's 64 unless deep-nesting is on). */
  maxAddedDepth: number;
  /** Longest string a mutation writes. */
  maxStringLength: number;
}

export const mutationKinds = [
  'null',
  'wrong-type',
  'huge-number',
  'raw-number',
  'long-string',
  'odd-string',
  'delete',
  'extra-field',
  'object-to-array',
  'array-to-object',
  'wrap-in-array',
  'duplicate-element',
  'empty',
  'deep-nesting',
  'random-json',
] as const;
export type MutationKind = (typeof mutationKinds)[number];

const oddStrings = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '\u200b',
  '\ufeff',
  'ß',
  'İ',
  '🚀💥',
  'e\u0301',
  '\n\r\t',
  '"quoted"',
  '\\',
  '..',
  '.',
  '../../etc/passwd',
  '%2e%2e',
  '%zz',
  '$' + '{HOME}', // a shell-style placeholder, literally
  '<script>',
  'UPPER',
  '-leading-dash',
  'trailing-dash-',
  'a.b.c',
  'a/b',
  'a:b',
  'true',
  'null',
  '0',
  '-1',
  '1e3',
  '0x10',
  '100Gi',
  '1.5.5',
  '2025-13-45T99:99:99Z',
  'Always',
  'TCP',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
];

export const hugeNumbers = [
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 63,
  -1,
  0,
  0.5,
  -0.0001,
  1e308,
  -1e308,
  1e-300,
  65536,
  65535,
];

const rawNumbers = [
  '1e999',
  '-1e999',
  '123456789012345678901234567890',
  '-0',
  '0.0000000000000000000001',
  '1E2',
];

/**
 * Past kube's name and label limits (63, 253), now and then up to the limit: most cases stay
 * small, so the run spends its time in the hub rather than on the wire.
 */
function longLength(rng: Prng, limits: MutationLimits): number {
  return rng.chance(0.03) ? rng.between(4096, limits.maxStringLength) : rng.between(64, 600);
}

export function weirdString(rng: Prng, limits: MutationLimits): string {
  const roll = rng.int(4);
  if (roll === 0) {
    const unit = rng.pick(['a', 'é', '🚀', 'x-', '\u0000', '9']);
    return unit.repeat(Math.ceil(longLength(rng, limits) / unit.length));
  }
  if (roll === 1) return rng.pick(oddStrings) + rng.pick(oddStrings);
  return rng.pick(oddStrings);
}

export function weirdScalar(rng: Prng, limits: MutationLimits): unknown {
  switch (rng.int(6)) {
    case 0:
      return null;
    case 1:
      return rng.pick(hugeNumbers);
    case 2:
      return new RawJson(rng.pick(rawNumbers));
    case 3:
      return rng.chance(0.5);
    default:
      return weirdString(rng, limits);
  }
}

/** Random JSON of bounded size: objects, arrays and weird scalars. */
export function randomJson(rng: Prng, limits: MutationLimits, depth = 3): unknown {
  if (depth <= 0 || rng.chance(0.4)) return weirdScalar(rng, limits);
  const n = rng.int(4);
  if (rng.chance(0.5)) return Array.from({ length: n }, () => randomJson(rng, limits, depth - 1));
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < n; i++)
    obj[rng.pick(['a', 'name', 'spec', 'items', 'x', weirdString(rng, limits)])] = randomJson(
      rng,
      limits,
      depth - 1,
    );
  return obj;
}

/** A value of another JSON type than `v`. */
function wrongType(rng: Prng, v: unknown): unknown {
  const options: unknown[] = [1, 'text', true, {}, [], [1], { a: 1 }, 3.25];
  const others = options.filter((o) => typeOf(o) !== typeOf(v));
  return rng.pick(others);
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Nesting `depth` levels deep. Past 100 levels it is written as raw text, so neither the mutator
 * nor the serialiser recurses through it (the server is what should cope).
 */
export function deeplyNested(rng: Prng, depth: number): unknown {
  const asArray = rng.chance(0.5);
  if (depth > 100) {
    return new RawJson(
      asArray ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    );
  }
  let v: unknown = rng.pick([1, 'x', null, {}]);
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

type Site = { parent: Record<string, unknown> | unknown[]; key: string | number };

/** Every (parent, key) position in the tree, depth-first. */
function sites(root: unknown): Site[] {
  const found: Site[] = [];
  const walk = (v: unknown) => {
    if (v === null || typeof v !== 'object' || v instanceof RawJson) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        found.push({ parent: v, key: i });
        walk(item);
      });
    } else {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        found.push({ parent: v as Record<string, unknown>, key: k });
        walk(item);
      }
    }
  };
  walk(root);
  return found;
}

/** Applies one mutation at a random position of `root` (in place) and names it. */
export function mutateOnce(rng: Prng, root: Record<string, unknown>, limits: MutationLimits): string {
  const all = sites(root);
  const site = all.length > 0 && rng.chance(0.95) ? rng.pick(all) : { parent: root, key: 'extra' };
  const { parent, key } = site;
  const current = (parent as Record<string | number, unknown>)[key];
  const kind = rng.pick(mutationKinds);
  const set = (v: unknown) => {
    (parent as Record<string | number, unknown>)[key] = v;
  };
  switch (kind) {
    case 'null':
      set(null);
      break;
    case 'wrong-type':
      set(wrongType(rng, current));
      break;
    case 'huge-number':
      set(rng.pick(hugeNumbers));
      break;
    case 'raw-number':
      set(new RawJson(rng.pick(rawNumbers)));
      break;
    case 'long-string':
      set('x'.repeat(longLength(rng, limits)));
      break;
    case 'odd-string':
      set(weirdString(rng, limits));
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key as string];
      break;
    case 'extra-field': {
      const target =
        current !== null && typeof current === 'object' && !Array.isArray(current) ? current : root;
      (target as Record<string, unknown>)[
        rng.pick(['unknownField', 'x-extra', '$patch', 'status', weirdString(rng, limits)])
      ] = randomJson(rng, limits, 2);
      break;
    }
    case 'object-to-array':
      set(current !== null && typeof current === 'object' ? Object.values(current) : [current]);
      break;
    case 'array-to-object':
      set(
        Array.isArray(current)
          ? Object.fromEntries(current.map((v, i) => [String(i), v]))
          : { value: current },
      );
      break;
    case 'wrap-in-array':
      set([current]);
      break;
    case 'duplicate-element':
      if (Array.isArray(current) && current.length > 0) current.push(structuredClone(current[0]));
      else set([current, current]);
      break;
    case 'empty':
      set(rng.pick([{}, [], '']));
      break;
    case 'deep-nesting':
      set(deeplyNested(rng, rng.between(2, limits.maxAddedDepth)));
      break;
    case 'random-json':
      set(randomJson(rng, limits));
      break;
  }
  return `${kind} at ${String(key)}`;
}
