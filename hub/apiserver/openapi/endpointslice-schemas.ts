// discovery.k8s.io/v1 EndpointSlice. Its lists are atomic for strategic merge patch.
import {
  apiSchemaName,
  bool,
  coreName,
  int32,
  kindSchema,
  listKindSchema,
  listOf,
  object,
  ref,
  type SchemaTable,
  str,
  stringMap,
} from './schema-builders.js';

const gvk = { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' };
const discoveryName = (kind: string) => apiSchemaName(gvk.group, gvk.version, kind);

const endpoint = object(
  {
    addresses: listOf(str(), 'Addresses of this endpoint; all of the addressType of the slice.'),
    conditions: object({ ready: bool(), serving: bool(), terminating: bool() }),
    deprecatedTopology: stringMap(),
    hints: object({ forNodes: listOf(object({ name: str() })), forZones: listOf(object({ name: str() })) }),
    hostname: str(),
    nodeName: str(),
    targetRef: ref(coreName('ObjectReference')),
    zone: str(),
  },
  { required: ['addresses'] },
);

export const endpointSliceSchemas: SchemaTable = {
  [discoveryName('EndpointSlice')]: {
    ...kindSchema(
      gvk,
      {
        addressType: str('IPv4, IPv6 or FQDN.'),
        endpoints: listOf(ref(discoveryName('Endpoint')), 'A list of unique endpoints in this slice.'),
        ports: listOf(object({ appProtocol: str(), name: str(), port: int32(), protocol: str() })),
      },
      'EndpointSlice represents a subset of the endpoints that implement a service.',
    ),
    required: ['addressType', 'endpoints'],
  },
  [discoveryName('EndpointSliceList')]: listKindSchema(gvk),
  [discoveryName('Endpoint')]: endpoint,
};
