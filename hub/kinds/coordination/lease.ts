// Lease (coordination.k8s.io/v1).
import { validateLease } from '../../../api/validation/lease.js';
import { leaseSchemas } from '../../apiserver/openapi/lease-schemas.js';
import { leaseColumns, leaseRow } from '../../apiserver/tables/lease-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const leaseKind: KindDefinition = {
  openapi: leaseSchemas,
  info: resourceInfo({
    group: 'coordination.k8s.io',
    version: 'v1',
    resource: 'leases',
    kind: 'Lease',
    namespaced: true,
  }),
  printer: { columns: leaseColumns, row: leaseRow },
  validate: validateLease,
  // client-go's leader election writes Leases as protobuf when its client is set up for it.
  protobufMessage: 'k8s.io.api.coordination.v1.Lease',
};
