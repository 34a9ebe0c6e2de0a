// `kubectl get services`: TYPE, CLUSTER-IP, EXTERNAL-IP (<none>, <pending> for a
// LoadBalancer without ingress, or the addresses), PORT(S) such as `80:30080/TCP`.
import type { KubeObject } from '../../../api/types.js';
import { listOf, numberOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { formatLabels } from './label-selectors.js';
import { ageColumn, column, nameColumn, wideColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface ServicePortView {
  port?: number;
  nodePort?: number;
  protocol?: string;
}

interface ServiceView extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    externalName?: string;
    ports?: ServicePortView[];
    selector?: Record<string, string>;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export const serviceColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
  column(
    'Cluster-IP',
    'string',
    'clusterIP is the IP address of the service and is usually assigned randomly.',
  ),
  column(
    'External-IP',
    'string',
    'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
  ),
  column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
  ageColumn,
  wideColumn(
    'Selector',
    'string',
    'Route service traffic to pods with label keys and values matching this selector.',
  ),
];

export function serviceRow(object: KubeObject, now: Date): PrintedRow {
  const service = object as ServiceView;
  const spec = service.spec ?? {};
  const ports = portsText(listOf<ServicePortView>(spec.ports));
  return {
    cells: [
      service.metadata.name ?? '',
      spec.type || 'ClusterIP',
      listOf<string>(spec.clusterIPs)[0] || spec.clusterIP || '<none>',
      externalIP(service),
      ports === '' ? '<none>' : ports,
      timeSince(service.metadata.creationTimestamp, now),
      formatLabels(spec.selector),
    ],
  };
}

/** `80/TCP`, or `80:30080/TCP` when a node port is allocated; protocol defaults to TCP. */
function portsText(ports: ServicePortView[]): string {
  return ports
    .map((p) => {
      const protocol = p.protocol || 'TCP';
      const nodePort = numberOr(p.nodePort, 0);
      return nodePort > 0 ? `${p.port}:${nodePort}/${protocol}` : `${p.port}/${protocol}`;
    })
    .join(',');
}

function externalIP(service: ServiceView): string {
  const spec = service.spec ?? {};
  const externalIPs = listOf<string>(spec.externalIPs);
  switch (spec.type || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = new Set<string>();
      for (const entry of listOf<{ ip?: string; hostname?: string }>(service.status?.loadBalancer?.ingress)) {
        const address = entry.ip || entry.hostname;
        if (address) ingress.add(address);
      }
      const addresses = [...[...ingress].sort(), ...externalIPs];
      return addresses.length > 0 ? addresses.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}
