// networking.k8s.io/v1 Ingress. Its lists are atomic in Kubernetes (no merge keys). Field
// numbers as in k8s.io/api/networking/v1/generated.proto, so `kubectl create ingress` (which
// sends protobuf) decodes.
import { embedded, pointer } from './protobuf-fields.js';
import {
  apiSchemaName,
  int32,
  kindSchema,
  listKindSchema,
  listOf,
  object,
  ref,
  type SchemaTable,
  str,
} from './schema-builders.js';

const gvk = { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' };
const netName = (kind: string) => apiSchemaName('networking.k8s.io', 'v1', kind);

const backend = object(
  {
    resource: object(
      { apiGroup: str(), kind: str(), name: str() },
      {
        required: ['kind', 'name'],
        description: 'An object of another kind serving the traffic.',
        protobuf: { apiGroup: pointer(1), kind: 2, name: 3 },
      },
    ),
    service: object(
      {
        name: str('Service in the Ingress namespace.'),
        port: object(
          {
            name: str('Port of the Service, by name.'),
            number: int32('Port of the Service, by number.'),
          },
          { protobuf: { name: 1, number: 2 } },
        ),
      },
      {
        required: ['name'],
        description: 'The Service receiving the traffic.',
        protobuf: { name: 1, port: 2 },
      },
    ),
  },
  { protobuf: { service: pointer(4), resource: pointer(3) } },
);

const path = object(
  {
    backend: ref(netName('IngressBackend'), 'Where matching requests go.'),
    path: str('Path prefix or exact path, starting with "/".'),
    pathType: str('Exact, Prefix or ImplementationSpecific.'),
  },
  { required: ['pathType', 'backend'], protobuf: { path: 1, backend: 2, pathType: pointer(3) } },
);

const rule = object(
  {
    host: str('Host name the rule applies to; every host when empty. May start with "*.".'),
    http: object({ paths: listOf(path) }, { required: ['paths'], protobuf: { paths: 1 } }),
  },
  // http sits in the embedded IngressRuleValue.
  { protobuf: { host: 1, ingressRuleValue: embedded(2, { http: pointer(1) }) } },
);

const loadBalancerIngress = object(
  {
    hostname: str(),
    ip: str(),
    ports: listOf(
      object(
        { error: str(), port: int32(), protocol: str() },
        { required: ['port', 'protocol'], protobuf: { port: 1, protocol: 2, error: pointer(3) } },
      ),
    ),
  },
  { protobuf: { ip: 1, hostname: 2, ports: 4 } },
);

export const networkingSchemas: SchemaTable = {
  [netName('Ingress')]: kindSchema(
    gvk,
    { spec: ref(netName('IngressSpec')), status: ref(netName('IngressStatus')) },
    'HTTP routes from outside to Services, served by an ingress controller.',
    { spec: 2, status: 3 },
  ),
  [netName('IngressList')]: listKindSchema(gvk),
  [netName('IngressBackend')]: backend,
  [netName('IngressSpec')]: object(
    {
      defaultBackend: ref(netName('IngressBackend'), 'Where requests no rule matches go.'),
      ingressClassName: str('The IngressClass (controller) that serves this Ingress.'),
      rules: listOf(rule, 'Host and path rules, in order.'),
      tls: listOf(
        object(
          { hosts: listOf(str()), secretName: str('Secret holding the certificate and key.') },
          { protobuf: { hosts: 1, secretName: 2 } },
        ),
        'TLS certificates, by host.',
      ),
    },
    { protobuf: { defaultBackend: pointer(1), tls: 2, rules: 3, ingressClassName: pointer(4) } },
  ),
  [netName('IngressStatus')]: object(
    {
      loadBalancer: object({ ingress: listOf(loadBalancerIngress) }, { protobuf: { ingress: 1 } }),
    },
    { protobuf: { loadBalancer: 1 } },
  ),
};
