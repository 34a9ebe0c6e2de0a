// Fuzzed MQTT payloads for every gateway → hub route of the route table: the protocol
// document's example for the route, pointed at the gateway's real pods, mutated structurally
// and encoded well or badly (broken JSON, duplicated keys, garbage, past the route's size).
import { payloadExamples } from '../../api/mqtt/payload-examples.js';
import { buildTopic, type Route, routeList } from '../../api/mqtt/route-table.js';
import type { FuzzSettings } from './fuzz-settings.js';
import { countObjects, jsonText } from './json-text.js';
import { Prng } from './prng.js';
import { type MutationLimits, mutateOnce } from './value-mutator.js';

/** Every route a gateway publishes on. */
export const gatewayRoutes: readonly Route[] = routeList.filter((r) => r.direction === 'agent-to-hub');

export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface MqttCase {
  route: Route;
  topic: string;
  payload: Buffer;
  note: string;
}

function limitsFor(settings: FuzzSettings): MutationLimits {
  return { maxAddedDepth: settings.enabled['deep-nesting'] ? 500 : 40, maxStringLength: 4096 };
}

/** The route's example, made about `node` and (for pod routes) one of `pods`. */
function examplePayload(rng: Prng, route: Route, node: string, pods: readonly PodRef[]): Record<string, any> {
  const payload = structuredClone(payloadExamples[route.name as keyof typeof payloadExamples]) as Record<
    string,
    any
  >;
  const now = Date.now();
  if ('observedAt' in payload) payload.observedAt = now;
  const pod = rng.pick(pods);
  if (route.name === 'register') payload.labels['kubernetes.io/hostname'] = node;
  if (route.name === 'heartbeat') payload.t = now;
  if (route.name === 'podStatus') {
    payload.items = Array.from({ length: rng.between(1, 3) }, () => ({
      ...structuredClone(payload.items[0]),
      ...rng.pick(pods),
      observedAt: now,
    }));
  }
  if (route.name === 'events') {
    payload.items[0].involvedObject = { kind: 'Pod', namespace: pod.namespace, name: pod.name };
    payload.items[0].observedAt = now;
  }
  if (route.name === 'reply') payload.id = 'r-1';
  return payload;
}

export function mqttCase(
  settings: FuzzSettings,
  index: number,
  node: string,
  pods: readonly PodRef[],
): MqttCase {
  const rng = Prng.forCase(settings.seed, 'mqtt', index);
  // Round robin over the routes, so each gets its share.
  const route = gatewayRoutes[index % gatewayRoutes.length]!;
  const limits = limitsFor(settings);
  const payload = examplePayload(rng, route, node, pods);
  const notes: string[] = [];
  const mutations = rng.chance(0.25) ? 0 : rng.between(1, 3);
  for (let i = 0; i < mutations; i++) notes.push(mutateOnce(rng, payload, limits));
  // Reply ids the topic allows ([A-Za-z0-9_-]{1,64}), none a request is waiting for.
  const idChars = 'abcXYZ019_-';
  const id =
    route.name === 'reply'
      ? Array.from({ length: rng.between(1, 64) }, () => idChars[rng.int(idChars.length)]).join('')
      : undefined;
  const topic = buildTopic(
    route as Route<unknown, string>,
    { node, ...(id !== undefined ? { id } : {}) } as never,
  );
  const encoded = encode(rng, payload, route);
  return {
    route,
    topic,
    payload: encoded.bytes,
    note: `${route.name} [${notes.join('; ')}] (${encoded.note})`,
  };
}

function encode(rng: Prng, payload: unknown, route: Route): { bytes: Buffer; note: string } {
  switch (rng.weighted({ json: 80, dup: 6, truncated: 4, top: 3, empty: 1, garbage: 3, oversized: 3 })) {
    case 'dup': {
      const duplicate = {
        objectIndex: rng.int(Math.max(1, countObjects(payload))),
        value: rng.pick([null, 1, 'x', {}]),
        first: rng.chance(0.5),
      };
      return { bytes: Buffer.from(jsonText(payload, { duplicate })), note: 'duplicated key' };
    }
    case 'truncated': {
      const text = jsonText(payload);
      return { bytes: Buffer.from(text.slice(0, rng.int(text.length))), note: 'truncated JSON' };
    }
    case 'top':
      return {
        bytes: Buffer.from(JSON.stringify(rng.pick([[payload], 'text', 42, null, true]))),
        note: 'not an object',
      };
    case 'empty':
      return { bytes: Buffer.alloc(0), note: 'empty' };
    case 'garbage':
      return {
        bytes: Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256))),
        note: 'garbage bytes',
      };
    case 'oversized': {
      const pad = 'x'.repeat(route.maxBytes + rng.between(1, 1024));
      return {
        bytes: Buffer.from(JSON.stringify({ ...(payload as object), pad })),
        note: 'over the route size',
      };
    }
    default:
      return { bytes: Buffer.from(jsonText(payload)), note: 'json' };
  }
}
