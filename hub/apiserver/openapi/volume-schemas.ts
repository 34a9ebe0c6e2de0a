// core/v1 Volume with the volume sources an edge workload uses (emptyDir, hostPath,
// configMap, secret, persistentVolumeClaim, projected, downwardAPI, nfs, csi, image,
// ephemeral, and on-premises block/file systems). A source missing here (the in-tree
// cloud disks) makes `kubectl apply` warn "unable to find api field" and fall back to its
// compiled-in patch metadata, which still yields a correct patch.
import { embedded, pointer } from './protobuf-fields.js';
import {
  bool,
  coreName,
  int32,
  int64,
  listOf,
  mapOf,
  metaName,
  object,
  openObject,
  quantity,
  ref,
  type Schema,
  type SchemaTable,
  str,
  stringMap,
} from './schema-builders.js';

const keyToPath = object(
  { key: str(), mode: int32(), path: str() },
  { required: ['key', 'path'], protobuf: { key: 1, path: 2, mode: pointer(3) } },
);

const downwardItem = object(
  {
    fieldRef: object(
      { apiVersion: str(), fieldPath: str() },
      { required: ['fieldPath'], protobuf: { apiVersion: 1, fieldPath: 2 } },
    ),
    mode: int32(),
    path: str(),
    resourceFieldRef: object(
      { containerName: str(), divisor: quantity(), resource: str() },
      { required: ['resource'], protobuf: { containerName: 1, resource: 2, divisor: 3 } },
    ),
  },
  {
    required: ['path'],
    protobuf: { path: 1, fieldRef: pointer(2), resourceFieldRef: pointer(3), mode: pointer(4) },
  },
);

const localObjectReference = object({ name: str('Name of the referent.') }, { protobuf: { name: 1 } });

/** The referent's name, from an embedded LocalObjectReference. */
const referentName = embedded(1, { name: 1 });

const projection = object(
  {
    clusterTrustBundle: openObject(),
    configMap: object(
      { items: listOf(keyToPath), name: str(), optional: bool() },
      { protobuf: { localObjectReference: referentName, items: 2, optional: pointer(4) } },
    ),
    downwardAPI: object({ items: listOf(downwardItem) }, { protobuf: { items: 1 } }),
    secret: object(
      { items: listOf(keyToPath), name: str(), optional: bool() },
      { protobuf: { localObjectReference: referentName, items: 2, optional: pointer(4) } },
    ),
    serviceAccountToken: object(
      { audience: str(), expirationSeconds: int64(), path: str() },
      { required: ['path'], protobuf: { audience: 1, expirationSeconds: pointer(2), path: 3 } },
    ),
  },
  {
    protobuf: {
      secret: pointer(1),
      downwardAPI: pointer(2),
      configMap: pointer(3),
      serviceAccountToken: pointer(4),
      clusterTrustBundle: pointer(5),
    },
  },
);

/** A claim's spec: a PersistentVolumeClaim's, and that of an ephemeral volume's claim template. */
export const persistentVolumeClaimSpec = object(
  {
    accessModes: listOf(str(), 'The access modes the volume must offer.'),
    dataSource: object(
      { apiGroup: str(), kind: str(), name: str() },
      { protobuf: { apiGroup: pointer(1), kind: 2, name: 3 } },
    ),
    dataSourceRef: object(
      { apiGroup: str(), kind: str(), name: str(), namespace: str() },
      { protobuf: { apiGroup: pointer(1), kind: 2, name: 3, namespace: pointer(4) } },
    ),
    resources: object(
      { limits: mapOf(quantity()), requests: mapOf(quantity(), 'At least this much storage (key storage).') },
      { description: 'How much storage the claim needs.', protobuf: { limits: 1, requests: 2 } },
    ),
    selector: ref(metaName('LabelSelector'), 'Only volumes with matching labels may bind.'),
    storageClassName: str('The class of volume wanted; "" asks for a volume without class.'),
    volumeAttributesClassName: str(),
    volumeMode: str('Filesystem (default) or Block.'),
    volumeName: str('Bind to this volume by name.'),
  },
  {
    protobuf: {
      accessModes: 1,
      resources: 2,
      volumeName: 3,
      selector: pointer(4),
      storageClassName: pointer(5),
      volumeMode: pointer(6),
      dataSource: pointer(7),
      dataSourceRef: pointer(8),
      volumeAttributesClassName: pointer(9),
    },
  },
);

export const hostPathSource = object(
  { path: str('Path of the directory on the host.'), type: str() },
  {
    required: ['path'],
    description: "A file or directory of the gateway's own file system.",
    protobuf: { path: 1, type: pointer(2) },
  },
);

export const nfsSource = object(
  { path: str(), readOnly: bool(), server: str() },
  { required: ['server', 'path'], protobuf: { server: 1, path: 2, readOnly: 3 } },
);

// Network block and file systems found on premises; their lists and nested objects
// must be named here for kubectl to compute a patch from this document.
const onPremisesSources: Record<string, Schema> = {
  cephfs: object(
    {
      monitors: listOf(str()),
      path: str(),
      readOnly: bool(),
      secretFile: str(),
      secretRef: localObjectReference,
      user: str(),
    },
    {
      required: ['monitors'],
      protobuf: { monitors: 1, path: 2, user: 3, secretFile: 4, secretRef: pointer(5), readOnly: 6 },
    },
  ),
  fc: object(
    {
      fsType: str(),
      lun: int32(),
      readOnly: bool(),
      targetWWNs: listOf(str()),
      wwids: listOf(str()),
    },
    { protobuf: { targetWWNs: 1, lun: pointer(2), fsType: 3, readOnly: 4, wwids: 5 } },
  ),
  flexVolume: object(
    { driver: str(), fsType: str(), options: stringMap(), readOnly: bool(), secretRef: localObjectReference },
    {
      required: ['driver'],
      protobuf: { driver: 1, fsType: 2, secretRef: pointer(3), readOnly: 4, options: 5 },
    },
  ),
  gitRepo: object(
    { directory: str(), repository: str(), revision: str() },
    { required: ['repository'], protobuf: { repository: 1, revision: 2, directory: 3 } },
  ),
  iscsi: object(
    {
      chapAuthDiscovery: bool(),
      chapAuthSession: bool(),
      fsType: str(),
      initiatorName: str(),
      iqn: str(),
      iscsiInterface: str(),
      lun: int32(),
      portals: listOf(str()),
      readOnly: bool(),
      secretRef: localObjectReference,
      targetPortal: str(),
    },
    {
      required: ['targetPortal', 'iqn', 'lun'],
      protobuf: {
        targetPortal: 1,
        iqn: 2,
        lun: 3,
        iscsiInterface: 4,
        fsType: 5,
        readOnly: 6,
        portals: 7,
        chapAuthDiscovery: 8,
        secretRef: pointer(10),
        chapAuthSession: 11,
        initiatorName: pointer(12),
      },
    },
  ),
  rbd: object(
    {
      fsType: str(),
      image: str(),
      keyring: str(),
      monitors: listOf(str()),
      pool: str(),
      readOnly: bool(),
      secretRef: localObjectReference,
      user: str(),
    },
    {
      required: ['monitors', 'image'],
      protobuf: {
        monitors: 1,
        image: 2,
        fsType: 3,
        pool: 4,
        user: 5,
        keyring: 6,
        secretRef: pointer(7),
        readOnly: 8,
      },
    },
  ),
};

/**
 * In-tree cloud and vendor volume types Kubernetes still describes (deprecated). No gateway can
 * mount them and pod validation says so; they are named here so that a manifest using one gets
 * that answer rather than "unknown field".
 */
export const cloudSources: Record<string, Schema> = Object.fromEntries(
  [
    'awsElasticBlockStore',
    'azureDisk',
    'azureFile',
    'cinder',
    'flocker',
    'gcePersistentDisk',
    'glusterfs',
    'photonPersistentDisk',
    'portworxVolume',
    'quobyte',
    'scaleIO',
    'storageos',
    'vsphereVolume',
  ].map((source) => [source, openObject('Not available on gateways.')]),
);

const volumeSources: Record<string, Schema> = {
  ...cloudSources,
  ...onPremisesSources,
  configMap: object(
    { defaultMode: int32(), items: listOf(keyToPath), name: str(), optional: bool() },
    {
      description: 'The keys of a ConfigMap as files.',
      protobuf: {
        localObjectReference: referentName,
        items: 2,
        defaultMode: pointer(3),
        optional: pointer(4),
      },
    },
  ),
  csi: object(
    {
      driver: str(),
      fsType: str(),
      nodePublishSecretRef: localObjectReference,
      readOnly: bool(),
      volumeAttributes: stringMap(),
    },
    {
      required: ['driver'],
      protobuf: {
        driver: 1,
        readOnly: pointer(2),
        fsType: pointer(3),
        volumeAttributes: 4,
        nodePublishSecretRef: pointer(5),
      },
    },
  ),
  downwardAPI: object(
    { defaultMode: int32(), items: listOf(downwardItem) },
    { protobuf: { items: 1, defaultMode: pointer(2) } },
  ),
  emptyDir: object(
    { medium: str('"" or "Memory".'), sizeLimit: quantity() },
    {
      description: 'An empty directory that lives as long as the pod.',
      protobuf: { medium: 1, sizeLimit: pointer(2) },
    },
  ),
  ephemeral: object(
    {
      volumeClaimTemplate: object(
        { metadata: ref(metaName('ObjectMeta')), spec: persistentVolumeClaimSpec },
        { required: ['spec'], protobuf: { metadata: 1, spec: 2 } },
      ),
    },
    { protobuf: { volumeClaimTemplate: pointer(1) } },
  ),
  hostPath: hostPathSource,
  image: object({ pullPolicy: str(), reference: str() }, { protobuf: { reference: 1, pullPolicy: 2 } }),
  nfs: nfsSource,
  persistentVolumeClaim: object(
    { claimName: str(), readOnly: bool() },
    {
      required: ['claimName'],
      description: 'The volume bound to a PersistentVolumeClaim of the namespace.',
      protobuf: { claimName: 1, readOnly: 2 },
    },
  ),
  projected: object(
    { defaultMode: int32(), sources: listOf(projection) },
    {
      description: 'Secrets, ConfigMaps, downward API items and tokens in one directory.',
      protobuf: { sources: 1, defaultMode: pointer(2) },
    },
  ),
  secret: object(
    { defaultMode: int32(), items: listOf(keyToPath), optional: bool(), secretName: str() },
    {
      description: 'The keys of a Secret as files.',
      protobuf: { secretName: 1, items: 2, defaultMode: pointer(3), optional: pointer(4) },
    },
  ),
};

/** VolumeSource, embedded in Volume: each source is a pointer, set for the one in use. */
const volumeSourceNumbers = {
  hostPath: pointer(1),
  emptyDir: pointer(2),
  gcePersistentDisk: pointer(3),
  awsElasticBlockStore: pointer(4),
  gitRepo: pointer(5),
  secret: pointer(6),
  nfs: pointer(7),
  iscsi: pointer(8),
  glusterfs: pointer(9),
  persistentVolumeClaim: pointer(10),
  rbd: pointer(11),
  flexVolume: pointer(12),
  cinder: pointer(13),
  cephfs: pointer(14),
  flocker: pointer(15),
  downwardAPI: pointer(16),
  fc: pointer(17),
  azureFile: pointer(18),
  configMap: pointer(19),
  vsphereVolume: pointer(20),
  quobyte: pointer(21),
  azureDisk: pointer(22),
  photonPersistentDisk: pointer(23),
  portworxVolume: pointer(24),
  scaleIO: pointer(25),
  projected: pointer(26),
  storageos: pointer(27),
  csi: pointer(28),
  ephemeral: pointer(29),
  image: pointer(30),
};

export const volumeSchemas: SchemaTable = {
  [coreName('Volume')]: object(
    { name: str('Name of the volume. Must be a DNS_LABEL and unique within the pod.'), ...volumeSources },
    {
      required: ['name'],
      description: 'Volume represents a named volume in a pod.',
      protobuf: { name: 1, volumeSource: embedded(2, volumeSourceNumbers) },
    },
  ),
  [coreName('LocalObjectReference')]: localObjectReference,
};
