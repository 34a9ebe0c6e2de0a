// One row of the route table: a topic pattern with its direction, QoS, retain flag, size limit,
// payload validator and description, plus the typed topic builder.
import type { Validator } from './payloads/checks.js';
import { type CompiledPattern, compilePattern, fillPattern, type TopicParams } from './topics.js';

/**
 * Who publishes → who subscribes. Gateways publish only their own node's topics and read their
 * own hub → agent topics plus the shared hub → fleet topics (state many gateways need, never a
 * Secret).
 */
export type Direction = 'agent-to-hub' | 'hub-to-agent' | 'hub-to-fleet' | 'hub-to-dashboard';

/** The parameter names of a pattern, e.g. `'node' | 'id'` for `…/nodes/{node}/replies/{id}`. */
export type ParamsOf<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | ParamsOf<Rest>
  : never;

export interface Route<T = unknown, P extends string = string> {
  name: string;
  pattern: string;
  compiled: CompiledPattern;
  direction: Direction;
  qos: 0 | 1;
  retain: boolean;
  /** Larger payloads are dropped by the broker (agent → hub) or refused by the receiver. */
  maxBytes: number;
  validate: Validator<T>;
  description: string;
  /** Dashboards may read it too (read-only), besides the hub. */
  dashboards: boolean;
  /** Phantom field carrying the parameter names for typed builders. */
  readonly _params?: P;
}

export interface RouteSpec<T, S extends string> {
  pattern: S;
  direction: Direction;
  qos: 0 | 1;
  retain?: boolean;
  maxBytes: number;
  validate: Validator<T>;
  description: string;
  dashboards?: boolean;
}

export function defineRoute<T, const S extends string>(
  name: string,
  spec: RouteSpec<T, S>,
): Route<T, ParamsOf<S>> {
  return {
    name,
    pattern: spec.pattern,
    compiled: compilePattern(spec.pattern),
    direction: spec.direction,
    qos: spec.qos,
    retain: spec.retain ?? false,
    maxBytes: spec.maxBytes,
    validate: spec.validate,
    description: spec.description,
    dashboards: spec.dashboards ?? false,
  };
}

/** The topic of `route` for these parameters (throws on a malformed parameter). */
export function buildTopic<P extends string>(route: Route<unknown, P>, params: Record<P, string>): string {
  return fillPattern(route.compiled, params as TopicParams);
}

/** The filter that subscribes to every instance of a route (each parameter replaced by '+'). */
export function wildcardFilter(route: Route): string {
  return route.compiled.levels.map((level) => ('literal' in level ? level.literal : '+')).join('/');
}
