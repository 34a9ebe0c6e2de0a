// What a fuzz run does, from the environment: FUZZ_SEED (default fixed, so CI is reproducible),
// FUZZ_CASES (total over all categories), FUZZ_CASE=<category>:<n> to replay one case, and
// FUZZ_DISABLE=<class>,... to leave out a class of mutations (see below).

export type FuzzCategory = 'api-body' | 'api-patch' | 'api-path' | 'mqtt';

/**
 * Mutation classes that made an oracle fail on main before the api-requests branch landed (its
 * dot-segment routing, JSON patch bounds, nesting depth limit and identity checks), with what
 * they did then. On by default since it landed; FUZZ_DISABLE=<class>,... turns one off, e.g. to
 * fuzz an older hub.
 */
export const gatedClasses = {
  /** JSON nested past 64 levels (had answered 2,000 levels with a 500 stack overflow). */
  'deep-nesting': true,
  /** JSON patches with thousands of operations or self-copies (had frozen the hub for seconds). */
  'patch-bombs': true,
  /** `.`/`..` path segments, plain or percent-encoded (had been resolved before routing). */
  'dot-segments': true,
  /** Patches that change kind/apiVersion (had been stored; the object became unreadable). */
  'identity-changes': true,
} satisfies Record<string, boolean>;

export type GatedClass = keyof typeof gatedClasses;

export interface FuzzSettings {
  seed: number;
  counts: Record<FuzzCategory, number>;
  /** Only this case, when replaying. */
  only?: { category: FuzzCategory; index: number };
  enabled: Record<GatedClass, boolean>;
}

/** The default run: 100,000 cases, ~60% API bodies and patches, 20% paths, 20% MQTT. */
const defaultCases = 100_000;
const share: Record<FuzzCategory, number> = { 'api-body': 0.3, 'api-patch': 0.3, 'api-path': 0.2, mqtt: 0.2 };

export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) >>> 0 : 20_251_206;
  const total = env.FUZZ_CASES ? Math.max(0, Number(env.FUZZ_CASES)) : defaultCases;
  const counts = Object.fromEntries(
    Object.entries(share).map(([category, part]) => [category, Math.round(total * part)]),
  ) as Record<FuzzCategory, number>;
  const enabled: Record<GatedClass, boolean> = { ...gatedClasses };
  for (const name of (env.FUZZ_DISABLE ?? '').split(',').filter(Boolean)) {
    if (!(name in enabled)) throw new Error(`FUZZ_DISABLE: unknown class ${name}`);
    enabled[name as GatedClass] = false;
  }
  const settings: FuzzSettings = { seed, counts, enabled };
  if (env.FUZZ_CASE) {
    const match = /^(api-body|api-patch|api-path|mqtt):(\d+)$/.exec(env.FUZZ_CASE);
    if (!match) throw new Error(`FUZZ_CASE must be <category>:<number>, got ${env.FUZZ_CASE}`);
    settings.only = { category: match[1] as FuzzCategory, index: Number(match[2]) };
  }
  return settings;
}

/** The indexes of `category` this run executes. */
export function caseIndexes(settings: FuzzSettings, category: FuzzCategory): number[] {
  if (settings.only) return settings.only.category === category ? [settings.only.index] : [];
  return Array.from({ length: settings.counts[category] }, (_, i) => i);
}

/** The line that replays one case. */
export function replayLine(settings: FuzzSettings, category: FuzzCategory, index: number): string {
  const disabled = Object.entries(settings.enabled)
    .filter(([, on]) => !on)
    .map(([name]) => name);
  const extra = disabled.length > 0 ? ` FUZZ_DISABLE=${disabled.join(',')}` : '';
  return `FUZZ_SEED=${settings.seed} FUZZ_CASE=${category}:${index}${extra} npx mocha test/integration/fuzz/`;
}
