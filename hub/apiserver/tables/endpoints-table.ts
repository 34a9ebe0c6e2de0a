// `kubectl get endpoints`: up to three `ip:port` pairs, then "+ N more...".
import type { KubeObject } from '../../../api/types.js';
import { listOf } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface SubsetView {
  addresses?: { ip?: string }[];
  ports?: { port?: number }[];
}

interface EndpointsView extends KubeObject {
  subsets?: SubsetView[];
}

export const endpointsColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column(
    'Endpoints',
    'string',
    'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share.',
  ),
  ageColumn,
];

const shown = 3;

export function endpointsRow(object: KubeObject, now: Date): PrintedRow {
  const endpoints = object as EndpointsView;
  return {
    cells: [
      endpoints.metadata.name ?? '',
      endpointsText(endpoints),
      timeSince(endpoints.metadata.creationTimestamp, now),
    ],
  };
}

function endpointsText(endpoints: EndpointsView): string {
  const subsets = listOf<SubsetView>(endpoints.subsets);
  if (subsets.length === 0) return '<none>';
  const all: string[] = [];
  for (const subset of subsets) {
    const addresses = listOf<{ ip?: string }>(subset.addresses).map((a) => a.ip ?? '');
    const ports = listOf<{ port?: number }>(subset.ports);
    // A headless service without ports lists bare addresses.
    if (ports.length === 0) all.push(...addresses);
    for (const port of ports) all.push(...addresses.map((ip) => joinHostPort(ip, port.port ?? 0)));
  }
  const text = all.slice(0, shown).join(',');
  return all.length > shown ? `${text} + ${all.length - shown} more...` : text;
}

/** `ip:port`, with IPv6 addresses bracketed as Go's net.JoinHostPort does. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
