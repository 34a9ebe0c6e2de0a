// `kubectl get endpointslices`: ADDRESSTYPE, up to three PORTS and ENDPOINTS addresses.
import type { KubeObject } from '../../../api/types.js';
import { listOf } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface EndpointSliceView extends KubeObject {
  addressType?: string;
  ports?: { port?: number; name?: string }[];
  endpoints?: { addresses?: string[] }[];
}

export const endpointSliceColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
  column(
    'Ports',
    'string',
    'ports specifies the list of network ports exposed by each endpoint in this slice.',
  ),
  column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
  ageColumn,
];

const shown = 3;

export function endpointSliceRow(object: KubeObject, now: Date): PrintedRow {
  const slice = object as EndpointSliceView;
  // A port without number or name means "all ports".
  const ports = listOf<{ port?: number; name?: string }>(slice.ports).map((p) =>
    typeof p.port === 'number' ? String(p.port) : (p.name ?? '*'),
  );
  const addresses = listOf<{ addresses?: string[] }>(slice.endpoints).flatMap((e) =>
    listOf<string>(e.addresses),
  );
  return {
    cells: [
      slice.metadata.name ?? '',
      slice.addressType ?? '',
      firstFew(ports),
      firstFew(addresses),
      timeSince(slice.metadata.creationTimestamp, now),
    ],
  };
}

function firstFew(items: string[]): string {
  if (items.length > shown) return `${items.slice(0, shown).join(',')} + ${items.length - shown} more...`;
  return items.length > 0 ? items.join(',') : '<unset>';
}
