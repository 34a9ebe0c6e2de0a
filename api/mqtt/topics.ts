// Topic patterns: `flotilla/v1/nodes/{node}/heartbeat`, where `{param}` stands for exactly one
// topic level. Patterns are compiled once; building checks each parameter's format (so a
// builder never produces a topic with '/', '+' or '#' in a parameter), matching extracts the
// parameters, and `filterReach` says which instances of a pattern a subscription filter can
// receive — the basis of subscribe authorization.
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/name-formats.js';
import { requestIdPattern } from './payloads/requests.js';

export const topicPrefix = 'flotilla/v1';

/** A network segment's name (site label value or `ipv4-a.b.c.0-24`), one topic level. */
export const segmentPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export type TopicParams = Record<string, string>;

/** Format rule per parameter name: returns a problem, or undefined when the value fits. */
const paramFormats: Record<string, (value: string) => string | undefined> = {
  node: (v) => isDNS1123Subdomain(v)[0],
  namespace: (v) => isDNS1123Label(v)[0],
  name: (v) => isDNS1123Subdomain(v)[0],
  kind: (v) => (/^[a-z][a-z0-9]{0,62}$/.test(v) ? undefined : 'must be a lower-case kind name'),
  segment: (v) => (segmentPattern.test(v) ? undefined : `must match ${segmentPattern.source}`),
  id: (v) => (requestIdPattern.test(v) ? undefined : `must match ${requestIdPattern.source}`),
};

type Level = { literal: string } | { param: string };

export interface CompiledPattern {
  text: string;
  levels: Level[];
  params: string[];
}

export function compilePattern(text: string): CompiledPattern {
  const levels: Level[] = text.split('/').map((level) => {
    const param = /^\{([a-z]+)\}$/.exec(level)?.[1];
    if (param === undefined) return { literal: level };
    if (!paramFormats[param]) throw new Error(`topic pattern ${text}: unknown parameter {${param}}`);
    return { param };
  });
  const params = levels.flatMap((l) => ('param' in l ? [l.param] : []));
  return { text, levels, params };
}

/** Why `value` cannot be parameter `param`, or undefined when it can. */
export function paramProblem(param: string, value: string): string | undefined {
  const format = paramFormats[param];
  if (!format) return `unknown parameter ${param}`;
  return format(value);
}

/** The topic for these parameters; throws on a missing or malformed parameter (a caller bug). */
export function fillPattern(pattern: CompiledPattern, params: TopicParams): string {
  return pattern.levels
    .map((level) => {
      if ('literal' in level) return level.literal;
      const value = params[level.param];
      const problem = value === undefined ? 'missing' : paramProblem(level.param, value);
      if (problem)
        throw new Error(`topic ${pattern.text}: {${level.param}} ${JSON.stringify(value)}: ${problem}`);
      return value;
    })
    .join('/');
}

/** The parameters when `topic` is an instance of `pattern` with well-formed parameters. */
export function matchPattern(pattern: CompiledPattern, topic: string): TopicParams | undefined {
  return matchLevels(pattern, topic.split('/'));
}

/** matchPattern for a topic already split into its levels (one split for many patterns). */
export function matchLevels(pattern: CompiledPattern, parts: readonly string[]): TopicParams | undefined {
  const { levels } = pattern;
  if (parts.length !== levels.length) return undefined;
  // Literal levels first: most patterns are ruled out without checking any parameter's format.
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if ('literal' in level && parts[i] !== level.literal) return undefined;
  }
  const params: TopicParams = {};
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if ('literal' in level) continue;
    if (paramProblem(level.param, parts[i]!)) return undefined;
    params[level.param] = parts[i]!;
  }
  return params;
}

/**
 * What a subscription filter can receive of a pattern: undefined when no instance matches;
 * otherwise the parameters the filter pins to one value (a parameter left out is open: the
 * filter has '+' or '#' there). Follows [MQTT-4.7.1-2] ('#' also matches the parent level)
 * and [MQTT-4.7.1-3] ('+' matches exactly one level). `filter` may come split at '/' already (one
 * split for many patterns).
 */
export function filterReach(
  filter: string | readonly string[],
  pattern: CompiledPattern,
): TopicParams | undefined {
  const parts = typeof filter === 'string' ? filter.split('/') : filter;
  const { levels } = pattern;
  // Literal levels first, as in matchLevels: most patterns are ruled out by a literal.
  for (let i = 0; i < levels.length && i < parts.length; i++) {
    const part = parts[i]!;
    const level = levels[i]!;
    if (part === '#') break;
    if ('literal' in level && part !== '+' && part !== level.literal) return undefined;
  }
  const pinned: TopicParams = {};
  for (let i = 0; ; i++) {
    const part = parts[i];
    const level = levels[i];
    if (part === '#') return pinned;
    if (part === undefined || level === undefined)
      return part === undefined && level === undefined ? pinned : undefined;
    if (part === '+' || 'literal' in level) continue;
    if (paramProblem(level.param, part)) return undefined;
    pinned[level.param] = part;
  }
}
