// `kubectl get ing`: CLASS, HOSTS (three, then "+ N more..." counting the rules left), ADDRESS
// (the load balancer's addresses, sorted, each once), PORTS (80, plus 443 when TLS is configured).
import type { KubeObject } from '../../../api/types.js';
import { listOf, recordOf, textOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

const shownHosts = 3;

export const ingressColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Class', 'string', 'The IngressClass that serves it.'),
  column('Hosts', 'string', 'Host names its rules answer for.'),
  column('Address', 'string', 'Where its load balancer can be reached.'),
  column('Ports', 'string', 'Ports it is served on.'),
  ageColumn,
];

function hostsText(rules: unknown): string {
  const all = listOf(rules);
  const hosts: string[] = [];
  let more = false;
  for (const rule of all) {
    if (hosts.length === shownHosts) {
      more = true;
      break;
    }
    const host = recordOf(rule).host;
    if (typeof host === 'string' && host !== '') hosts.push(host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${all.length - shownHosts} more...` : hosts.join(',');
}

function addressText(status: unknown): string {
  const balancer = recordOf(recordOf(status).loadBalancer);
  const addresses = new Set<string>();
  for (const entry of listOf(balancer.ingress)) {
    const { ip, hostname } = recordOf(entry);
    const address = typeof ip === 'string' && ip !== '' ? ip : hostname;
    if (typeof address === 'string' && address !== '') addresses.add(address);
  }
  return [...addresses].sort().join(',');
}

export function ingressRow(object: KubeObject, now: Date): PrintedRow {
  const spec = recordOf(object.spec);
  return {
    cells: [
      object.metadata.name ?? '',
      textOr(spec.ingressClassName, '<none>'),
      hostsText(spec.rules),
      addressText(object.status),
      listOf(spec.tls).length > 0 ? '80, 443' : '80',
      timeSince(object.metadata.creationTimestamp, now),
    ],
  };
}
