// networking.k8s.io/v1 Ingress. Its lists are atomic in Kubernetes (no merge keys).
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

const backend = object({
  resource: object(
    { apiGroup: str(), kind: str(), name: str() },
    { required: ['kind', 'name'], description: 'An object of another kind serving the traffic.' },
  ),
  service: object(
    {
      name: str('Service in the Ingress namespace.'),
      port: object({
        name: str('Port of the Service, by name.'),
        number: int32('Port of the Service, by number.'),
      }),
    },
    { required: ['name'], description: 'The Service receiving the traffic.' },
  ),
});

export const networkingSchemas: SchemaTable = {
  [netName('Ingress')]: kindSchema(
    gvk,
    { spec: ref(netName('IngressSpec')), status: ref(netName('IngressStatus')) },
    'HTTP routes from outside to Services, served by an ingress controller.',
  ),
  [netName('IngressList')]: listKindSchema(gvk),
  [netName('IngressBackend')]: backend,
  [netName('IngressSpec')]: object({
    defaultBackend: ref(netName('IngressBackend'), 'Where requests no rule matches go.'),
    ingressClassName: str('The IngressClass (controller) that serves this Ingress.'),
    rules: listOf(
      object({
        host: str('Host name the rule applies to; every host when empty. May start with "*.".'),
        http: object(
          {
            paths: listOf(
              object(
                {
                  backend: ref(netName('IngressBackend'), 'Where matching requests go.'),
                  path: str('Path prefix or exact path, starting with "/".'),
                  pathType: str('Exact, Prefix or ImplementationSpecific.'),
                },
                { required: ['pathType', 'backend'] },
              ),
            ),
          },
          { required: ['paths'] },
        ),
      }),
      'Host and path rules, in order.',
    ),
    tls: listOf(
      object({ hosts: listOf(str()), secretName: str('Secret holding the certificate and key.') }),
      'TLS certificates, by host.',
    ),
  }),
  [netName('IngressStatus')]: object({
    loadBalancer: object({
      ingress: listOf(
        object({
          hostname: str(),
          ip: str(),
          ports: listOf(
            object({ error: str(), port: int32(), protocol: str() }, { required: ['port', 'protocol'] }),
          ),
        }),
      ),
    }),
  }),
};
