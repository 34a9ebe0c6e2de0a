// core/v1 Service (ports merge by port, as in k8s.io/api) and Endpoints.
import { pointer } from './protobuf-fields.js';
import {
  bool,
  coreName,
  int32,
  intOrString,
  kindSchema,
  listKindSchema,
  listOf,
  mergeList,
  metaName,
  object,
  ref,
  type SchemaTable,
  str,
  stringMap,
} from './schema-builders.js';

const servicePort = object(
  {
    appProtocol: str('The application protocol of the port, such as http or kubernetes.io/h2c.'),
    name: str('The name of this port within the service. Must be a DNS_LABEL.'),
    nodePort: int32(
      'The port on each node on which this service is exposed when type is NodePort or LoadBalancer.',
    ),
    port: int32('The port that will be exposed by this service.'),
    protocol: str('TCP, UDP or SCTP. Default is TCP.'),
    targetPort: intOrString('Number or name of the port to access on the pods targeted by the service.'),
  },
  {
    required: ['port'],
    protobuf: { name: 1, protocol: 2, port: 3, targetPort: 4, nodePort: 5, appProtocol: pointer(6) },
  },
);

const serviceSpec = object(
  {
    allocateLoadBalancerNodePorts: bool(
      'Whether a LoadBalancer Service gets node ports as well (default true).',
    ),
    clusterIP: str('The IP address of the service; "None" for a headless service.'),
    clusterIPs: listOf(str(), 'The cluster IPs of the Service, one per IP family; the first is clusterIP.'),
    externalIPs: listOf(str(), 'Further addresses of the nodes on which the Service also accepts traffic.'),
    externalName: str('For type ExternalName: the DNS name the Service name resolves to (a CNAME).'),
    externalTrafficPolicy: str(
      'Cluster (the default) or Local: whether outside traffic may go to pods on other nodes.',
    ),
    healthCheckNodePort: int32(
      'Node port answering health checks, for a LoadBalancer Service with externalTrafficPolicy Local.',
    ),
    internalTrafficPolicy: str(
      'Cluster (the default) or Local: whether traffic from inside may go to pods on other nodes.',
    ),
    ipFamilies: listOf(str()),
    ipFamilyPolicy: str('SingleStack, PreferDualStack or RequireDualStack.'),
    loadBalancerClass: str(
      'The load balancer implementation that serves this Service; empty: the default one.',
    ),
    loadBalancerIP: str('Deprecated.'),
    loadBalancerSourceRanges: listOf(str()),
    ports: mergeList(ref(coreName('ServicePort')), 'port', {
      description: 'The list of ports that are exposed by this service.',
    }),
    publishNotReadyAddresses: bool('Include pods that are not ready in the endpoints and DNS records.'),
    selector: stringMap('Route service traffic to pods with label keys and values matching this selector.'),
    sessionAffinity: str('ClientIP or None.'),
    sessionAffinityConfig: object(
      { clientIP: object({ timeoutSeconds: int32() }, { protobuf: { timeoutSeconds: pointer(1) } }) },
      { protobuf: { clientIP: pointer(1) } },
    ),
    trafficDistribution: str('PreferClose: send traffic to endpoints near the client when there are any.'),
    type: str('ClusterIP, NodePort, LoadBalancer or ExternalName.'),
  },
  {
    protobuf: {
      ports: 1,
      selector: 2,
      clusterIP: 3,
      type: 4,
      externalIPs: 5,
      sessionAffinity: 7,
      loadBalancerIP: 8,
      loadBalancerSourceRanges: 9,
      externalName: 10,
      externalTrafficPolicy: 11,
      healthCheckNodePort: 12,
      publishNotReadyAddresses: 13,
      sessionAffinityConfig: pointer(14),
      ipFamilyPolicy: pointer(17),
      clusterIPs: 18,
      ipFamilies: 19,
      allocateLoadBalancerNodePorts: pointer(20),
      loadBalancerClass: pointer(21),
      internalTrafficPolicy: pointer(22),
      trafficDistribution: pointer(23),
    },
  },
);

const portStatus = object(
  { error: str(), port: int32(), protocol: str() },
  { required: ['port', 'protocol'], protobuf: { port: 1, protocol: 2, error: pointer(3) } },
);

const serviceStatus = object(
  {
    conditions: mergeList(ref(metaName('Condition')), 'type'),
    loadBalancer: object(
      {
        ingress: listOf(
          object(
            { hostname: str(), ip: str(), ipMode: str(), ports: listOf(portStatus) },
            { protobuf: { ip: 1, hostname: 2, ipMode: pointer(3), ports: 4 } },
          ),
        ),
      },
      { protobuf: { ingress: 1 } },
    ),
  },
  { protobuf: { loadBalancer: 1, conditions: 2 } },
);

const endpointAddress = object(
  { hostname: str(), ip: str(), nodeName: str(), targetRef: ref(coreName('ObjectReference')) },
  { required: ['ip'] },
);

const endpointSubset = object({
  addresses: listOf(ref(coreName('EndpointAddress'))),
  notReadyAddresses: listOf(ref(coreName('EndpointAddress'))),
  ports: listOf(
    object({ appProtocol: str(), name: str(), port: int32(), protocol: str() }, { required: ['port'] }),
  ),
});

const serviceGvk = { group: '', version: 'v1', kind: 'Service' };
const endpointsGvk = { group: '', version: 'v1', kind: 'Endpoints' };

export const serviceSchemas: SchemaTable = {
  [coreName('Service')]: kindSchema(
    serviceGvk,
    { spec: ref(coreName('ServiceSpec')), status: ref(coreName('ServiceStatus')) },
    'Service is a named abstraction of software service consisting of a local port that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
    { spec: 2, status: 3 },
  ),
  [coreName('ServiceList')]: listKindSchema(serviceGvk),
  [coreName('ServiceSpec')]: serviceSpec,
  [coreName('ServicePort')]: servicePort,
  [coreName('ServiceStatus')]: serviceStatus,
  [coreName('Endpoints')]: kindSchema(
    endpointsGvk,
    {
      subsets: listOf(
        ref(coreName('EndpointSubset')),
        'The set of all endpoints is the union of all subsets.',
      ),
    },
    'Endpoints is a collection of endpoints that implement the actual service.',
  ),
  [coreName('EndpointsList')]: listKindSchema(endpointsGvk),
  [coreName('EndpointSubset')]: endpointSubset,
  [coreName('EndpointAddress')]: endpointAddress,
};
