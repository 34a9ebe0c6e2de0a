// Service defaults (kube's SetDefaults_Service plus the IP-family choice the service
// registry makes on create). Cluster IPs and node ports are allocated elsewhere.
import type { KubeObject } from '../types.js';
import { defaultString, defaultValue, existingObject, objectAt, recordsAt } from './set-default.js';

/** kube's default ClientIP affinity timeout: three hours. */
const defaultAffinitySeconds = 10800;

export function defaultService(service: KubeObject): void {
  const spec = objectAt(service, 'spec');
  if (!spec) return;
  defaultString(spec, 'type', 'ClusterIP');
  defaultString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = objectAt(objectAt(spec, 'sessionAffinityConfig') ?? {}, 'clientIP');
    if (clientIP) defaultValue(clientIP, 'timeoutSeconds', defaultAffinitySeconds);
  }
  for (const port of recordsAt(spec, 'ports')) {
    defaultString(port, 'protocol', 'TCP');
    if (
      port.targetPort === undefined ||
      port.targetPort === null ||
      port.targetPort === 0 ||
      port.targetPort === ''
    ) {
      port.targetPort = port.port;
    }
  }
  const type = spec.type;
  const externalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
  if (type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && externalIPs)) {
    defaultString(spec, 'externalTrafficPolicy', 'Cluster');
  }
  if (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer') {
    defaultString(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (type === 'LoadBalancer') defaultValue(spec, 'allocateLoadBalancerNodePorts', true);
  // ExternalName services are DNS aliases with no IPs, hence no families.
  if (type !== 'ExternalName') {
    defaultString(spec, 'ipFamilyPolicy', 'SingleStack');
    defaultValue(spec, 'ipFamilies', ['IPv4']);
  }
  // clusterIPs mirrors clusterIP once one is chosen (by the user, e.g. "None", or the allocator).
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '')
    defaultValue(spec, 'clusterIPs', [spec.clusterIP]);
  if (existingObject(service, 'status') === undefined) service.status = { loadBalancer: {} };
}
