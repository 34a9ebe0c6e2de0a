// What a fuzz run does, from the environment: FUZZ_SEED (default fixed, so CI is reproducible),
// FUZZ_CASES (total over all categories), FUZZ_CASE=<category>:<n> to replay one case, and
// FUZZ_ENABLE=<class>,... to turn on mutation classes that are off by default (see below).

export type FuzzCategory = 'api-body' | 'api-patch' | 'api-path' | 'mqtt';

/**
 * Mutation classes whose fixes live on another branch (api-requests: dot segments, patch bounds,
 * nesting depth, identity immutability). Off by default until that branch is on main; each one
 * made an oracle fail on main as it was. Turn on with FUZZ_ENABLE=deep-nesting,patch-bombs,...
 */
export const gatedClasses = {
  /** JSON nested past 64 levels (main answered 2,000 levels with a 500 stack overflow). */
  'deep-nesting': false,
  /** JSON patches with thousands of operations or self-copies (main froze for seconds). */
  'patch-bombs': false,
  /** `.`/`..` path segments, plain or percent-encoded (main resolved them before routing). */
  'dot-segments': false,
  /** Patches that change kind/apiVersion (main stored them; the object became unreadable). */
  'identity-changes': false,
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
  const enabled = { ...gatedClasses };
  for (const name of (env.FUZZ_ENABLE ?? '').split(',').filter(Boolean)) {
    if (!(name in enabled)) throw new Error(`FUZZ_ENABLE: unknown class ${name}`);
    enabled[name as GatedClass] = true;
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
  const enabled = Object.entries(settings.enabled)
    .filter(([, on]) => on)
    .map(([name]) => name);
  const extra = enabled.length > 0 ? ` FUZZ_ENABLE=${enabled.join(',')}` : '';
  return `FUZZ_SEED=${settings.seed} FUZZ_CASE=${category}:${index}${extra} npx mocha test/integration/fuzz/`;
}
