// The protobuf message types of the kinds kubectl's typed clients may send as
// `application/vnd.kubernetes.protobuf`: exactly the kinds whose definition names a
// `protobufMessage`, built from their OpenAPI schemas and field numbers at first use (once per
// process; a unit test builds them all, so a broken table fails there, not in a request).
import type protobuf from 'protobufjs';
import { groupVersion } from '../../../api/resources.js';
import { builtinKinds, kindOf } from '../../kinds/builtin-kinds.js';
import { type KindDefinition, resourceInfo } from '../../kinds/kind-definition.js';
import { apiSchemaName } from '../openapi/schema-builders.js';
import { componentSchemas } from '../openapi/schema-registry.js';
import { protobufMessageName, SchemaMessages } from './schema-messages.js';
import { buildEnvelopeType } from './well-known-messages.js';

/** The runtime.Unknown envelope that follows the 4-byte magic. */
export const unknownType: protobuf.Type = buildEnvelopeType();

/**
 * Bodies of subresource requests that are no served resource of their own: a TokenRequest
 * (serviceaccounts/NAME/token, which `kubectl create token` sends).
 */
export const subresourceBodies: readonly KindDefinition[] = [
  {
    info: resourceInfo({
      group: 'authentication.k8s.io',
      version: 'v1',
      resource: 'tokenrequests',
      kind: 'TokenRequest',
      namespaced: true,
      verbs: ['create'],
    }),
    protobufMessage: 'k8s.io.api.authentication.v1.TokenRequest',
  },
];

const decodable = [...builtinKinds, ...subresourceBodies].filter(
  (kind) => kind.protobufMessage !== undefined,
);

let built: ReadonlyMap<string, protobuf.Type> | undefined;

/** Message types by `protobufMessage` name. */
export function buildKindMessages(kinds: readonly KindDefinition[]): ReadonlyMap<string, protobuf.Type> {
  const messages = new SchemaMessages(componentSchemas);
  const types = new Map<string, protobuf.Type>();
  for (const kind of kinds) {
    const component = apiSchemaName(kind.info.group, kind.info.version, kind.info.kind);
    if (protobufMessageName(component) !== kind.protobufMessage) {
      throw new Error(
        `${kind.info.kind}: protobufMessage ${kind.protobufMessage} is not its schema's message`,
      );
    }
    types.set(kind.protobufMessage, messages.message(component));
  }
  messages.resolve();
  return types;
}

/** The message type for an object of this apiVersion and kind, if it can be decoded. */
export function kubeObjectType(apiVersion: string, kind: string): protobuf.Type | undefined {
  const body = subresourceBodies.find((k) => groupVersion(k.info) === apiVersion && k.info.kind === kind);
  const name = (body ?? kindOf(apiVersion, kind))?.protobufMessage;
  if (name === undefined) return undefined;
  built ??= buildKindMessages(decodable);
  return built.get(name);
}

/** `v1 ConfigMap, ..., batch/v1 Job`, for error messages. */
export function decodableKinds(): string {
  return decodable
    .map((k) => k.info)
    .sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind))
    .map((info) => `${groupVersion(info)} ${info.kind}`)
    .join(', ');
}
