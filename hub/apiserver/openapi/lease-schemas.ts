// coordination.k8s.io/v1 Lease, which edge agents renew as their heartbeat.
import { pointer } from './protobuf-fields.js';
import {
  apiSchemaName,
  int32,
  kindSchema,
  listKindSchema,
  metaName,
  object,
  ref,
  type SchemaTable,
  str,
} from './schema-builders.js';

const gvk = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' };
const leaseName = (kind: string) => apiSchemaName(gvk.group, gvk.version, kind);

export const leaseSchemas: SchemaTable = {
  [leaseName('Lease')]: kindSchema(
    gvk,
    {
      spec: object(
        {
          acquireTime: ref(metaName('MicroTime')),
          holderIdentity: str('The identity of the holder of a current lease.'),
          leaseDurationSeconds: int32(
            'Duration that candidates for a lease need to wait to force acquire it.',
          ),
          leaseTransitions: int32(),
          preferredHolder: str(),
          renewTime: ref(metaName('MicroTime')),
          strategy: str(),
        },
        {
          protobuf: {
            holderIdentity: pointer(1),
            leaseDurationSeconds: pointer(2),
            acquireTime: pointer(3),
            renewTime: pointer(4),
            leaseTransitions: pointer(5),
            strategy: pointer(6),
            preferredHolder: pointer(7),
          },
        },
      ),
    },
    'Lease defines a lease concept.',
    { spec: 2 },
  ),
  [leaseName('LeaseList')]: listKindSchema(gvk),
};
