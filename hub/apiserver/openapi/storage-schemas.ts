// core/v1 PersistentVolume and PersistentVolumeClaim (whose spec, from volume-schemas.ts, pods'
// ephemeral volumes embed too, and StatefulSets' volumeClaimTemplates). Kubernetes gives their lists no merge
// keys: accessModes and mountOptions are replaced whole by strategic merge patch.
import {
  bool,
  coreName,
  kindSchema,
  listKindSchema,
  listOf,
  mapOf,
  mergeList,
  object,
  openObject,
  quantity,
  ref,
  type SchemaTable,
  str,
  stringMap,
  time,
} from './schema-builders.js';
import { cloudSources, hostPathSource, nfsSource, persistentVolumeClaimSpec } from './volume-schemas.js';

const kind = (name: string) => ({ group: '', version: 'v1', kind: name });

const accessModes = (description: string) => listOf(str(), description);

const secretReference = object({ name: str(), namespace: str() });

/** Volume sources a PersistentVolume may name; network ones gateways rarely reach stay open. */
const persistentSources = {
  ...cloudSources,
  ...Object.fromEntries(
    ['cephfs', 'fc', 'flexVolume', 'glusterfs', 'iscsi', 'rbd'].map((source) => [source, openObject()]),
  ),
  csi: object(
    {
      controllerExpandSecretRef: secretReference,
      controllerPublishSecretRef: secretReference,
      driver: str('Name of the CSI driver that serves the volume.'),
      fsType: str(),
      nodeExpandSecretRef: secretReference,
      nodePublishSecretRef: secretReference,
      nodeStageSecretRef: secretReference,
      readOnly: bool(),
      volumeAttributes: stringMap(),
      volumeHandle: str('What the driver calls the volume.'),
    },
    { required: ['driver', 'volumeHandle'] },
  ),
  hostPath: hostPathSource,
  local: object(
    { fsType: str(), path: str('Path of the disk, partition or directory on the node.') },
    {
      required: ['path'],
      description: 'Storage attached to one node; needs nodeAffinity naming that node.',
    },
  ),
  nfs: nfsSource,
};

const claimCondition = object(
  {
    lastProbeTime: time(),
    lastTransitionTime: time(),
    message: str(),
    reason: str(),
    status: str(),
    type: str(),
  },
  { required: ['type', 'status'] },
);

export const storageSchemas: SchemaTable = {
  [coreName('PersistentVolume')]: kindSchema(
    kind('PersistentVolume'),
    {
      spec: ref(coreName('PersistentVolumeSpec'), 'What the volume is and how it may be used.'),
      status: ref(coreName('PersistentVolumeStatus'), 'Where the volume is in its life cycle.'),
    },
    'A piece of storage an administrator made available to claims.',
  ),
  [coreName('PersistentVolumeList')]: listKindSchema(kind('PersistentVolume')),
  [coreName('PersistentVolumeSpec')]: object({
    ...persistentSources,
    accessModes: accessModes(
      'How the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.',
    ),
    capacity: mapOf(quantity(), 'The size of the volume, under the key storage.'),
    claimRef: ref(
      coreName('ObjectReference'),
      'The claim bound to this volume; set by binding, or to reserve it.',
    ),
    mountOptions: listOf(str()),
    nodeAffinity: object(
      { required: ref(coreName('NodeSelector')) },
      { description: 'Nodes the volume can be reached from (required for local volumes).' },
    ),
    persistentVolumeReclaimPolicy: str(
      'What happens once its claim is deleted: Retain (default), Delete or Recycle.',
    ),
    storageClassName: str('The class this volume belongs to; only claims asking for this class bind it.'),
    volumeAttributesClassName: str(),
    volumeMode: str('Filesystem (default) or Block.'),
  }),
  [coreName('PersistentVolumeStatus')]: object({
    lastPhaseTransitionTime: time(),
    message: str(),
    phase: str('Pending, Available, Bound, Released or Failed.'),
    reason: str(),
  }),
  [coreName('PersistentVolumeClaim')]: kindSchema(
    kind('PersistentVolumeClaim'),
    {
      spec: ref(coreName('PersistentVolumeClaimSpec'), 'The storage the claim asks for.'),
      status: ref(coreName('PersistentVolumeClaimStatus'), 'Whether and to what the claim is bound.'),
    },
    "A user's request for storage, bound to one PersistentVolume.",
  ),
  [coreName('PersistentVolumeClaimList')]: listKindSchema(kind('PersistentVolumeClaim')),
  [coreName('PersistentVolumeClaimSpec')]: persistentVolumeClaimSpec,
  [coreName('PersistentVolumeClaimStatus')]: object({
    accessModes: accessModes('The access modes of the bound volume.'),
    allocatedResourceStatuses: stringMap(),
    allocatedResources: mapOf(quantity()),
    capacity: mapOf(quantity(), 'The size of the bound volume.'),
    conditions: mergeList(claimCondition, 'type'),
    currentVolumeAttributesClassName: str(),
    modifyVolumeStatus: object(
      { status: str(), targetVolumeAttributesClassName: str() },
      { required: ['status'] },
    ),
    phase: str('Pending, Bound or Lost.'),
  }),
};
