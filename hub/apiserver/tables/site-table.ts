// `kubectl get sites`: NAME REGION ZONE GATEWAYS POOLS AGE.

import type { Site } from '../../../api/site-inventory.js';
import type { KubeObject } from '../../../api/types.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

export const siteColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Region', 'string', 'The region (topology.kubernetes.io/region) of the site.'),
  column('Zone', 'string', 'The zone (topology.kubernetes.io/zone) of the site.'),
  column('Gateways', 'string', 'The gateways named in the inventory, and whether a selector adds more.'),
  column('Pools', 'string', 'The address pools for LoadBalancer Services.'),
  ageColumn,
];

export function siteRow(object: KubeObject, now: Date): PrintedRow {
  const spec = (object as Site).spec ?? {};
  const names = Array.isArray(spec.gateways?.names) ? spec.gateways.names : [];
  const gateways = [...names, ...(spec.gateways?.selector ? ['+selector'] : [])];
  const pools = Array.isArray(spec.addressPools) ? spec.addressPools.map((p) => p?.name ?? '') : [];
  return {
    cells: [
      object.metadata.name ?? '',
      spec.region ?? '<none>',
      spec.zone ?? '<none>',
      gateways.join(',') || '<none>',
      pools.join(',') || '<none>',
      timeSince(object.metadata.creationTimestamp, now),
    ],
  };
}
