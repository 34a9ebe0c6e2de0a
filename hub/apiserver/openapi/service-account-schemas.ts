// core/v1 ServiceAccount and authentication.k8s.io/v1 TokenRequest (the body of
// serviceaccounts/NAME/token), numbered as k8s.io/api's generated.proto: `kubectl create
// serviceaccount` and `kubectl create token` may send them as protobuf.
import { pointer } from './protobuf-fields.js';
import {
  apiSchemaName,
  bool,
  coreName,
  int64,
  kindSchema,
  listKindSchema,
  listOf,
  mergeList,
  object,
  ref,
  type SchemaTable,
  str,
  time,
} from './schema-builders.js';

const core = (kind: string) => ({ group: '', version: 'v1', kind });
const authn = (kind: string) => apiSchemaName('authentication.k8s.io', 'v1', kind);

export const serviceAccountSchemas: SchemaTable = {
  [coreName('ServiceAccount')]: kindSchema(
    core('ServiceAccount'),
    {
      automountServiceAccountToken: bool(
        'Whether pods running as this service account get an API token mounted; a pod may override it.',
      ),
      imagePullSecrets: listOf(
        ref(coreName('LocalObjectReference')),
        'Secrets in the same namespace to pull the images of pods that use this service account.',
      ),
      secrets: mergeList(ref(coreName('ObjectReference')), 'name', {
        description: 'Secrets of pods running as this service account (legacy; not used for tokens).',
      }),
    },
    'ServiceAccount binds together a name understood by users and by the API, and a set of secrets.',
    { secrets: 2, imagePullSecrets: 3, automountServiceAccountToken: pointer(4) },
  ),
  [coreName('ServiceAccountList')]: listKindSchema(core('ServiceAccount')),
  [authn('BoundObjectReference')]: object(
    {
      apiVersion: str('API version of the referent.'),
      kind: str('Kind of the referent: Pod or Secret.'),
      name: str('Name of the referent.'),
      uid: str('UID of the referent.'),
    },
    {
      description: 'The object a token is bound to: the token is invalid once that object is gone.',
      protobuf: { kind: 1, apiVersion: 2, name: 3, uid: 4 },
    },
  ),
  [authn('TokenRequestSpec')]: object(
    {
      audiences: listOf(str(), 'Intended audiences of the token; empty means the API server.'),
      boundObjectRef: ref(authn('BoundObjectReference'), 'The object the token is bound to.'),
      expirationSeconds: int64('Requested duration of validity of the token (at least 600).'),
    },
    {
      required: ['audiences'],
      description: 'TokenRequestSpec contains client provided parameters of a token request.',
      protobuf: { audiences: 1, boundObjectRef: 3, expirationSeconds: pointer(4) },
    },
  ),
  [authn('TokenRequestStatus')]: object(
    {
      expirationTimestamp: time('When the returned token expires.'),
      token: str('The opaque bearer token.'),
    },
    {
      required: ['token', 'expirationTimestamp'],
      description: 'TokenRequestStatus is the result of a token request.',
      protobuf: { token: 1, expirationTimestamp: 2 },
    },
  ),
  [authn('TokenRequest')]: kindSchema(
    { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
    {
      spec: ref(authn('TokenRequestSpec')),
      status: ref(authn('TokenRequestStatus')),
    },
    'TokenRequest requests a token for a given service account.',
    { spec: 2, status: 3 },
  ),
};
