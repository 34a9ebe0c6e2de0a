// core/v1 Volume with the volume sources an edge workload uses (emptyDir, hostPath,
// configMap, secret, persistentVolumeClaim, projected, downwardAPI, nfs, csi, image,
// ephemeral, and on-premises block/file systems). A source missing here (the in-tree
// cloud disks) makes `kubectl apply` warn "unable to find api field" and fall back to its
// compiled-in patch metadata, which still yields a correct patch.
import {
  bool,
  coreName,
  int32,
  listOf,
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

const keyToPath = object({ key: str(), mode: int32(), path: str() }, { required: ['key', 'path'] });

const downwardItem = object(
  {
    fieldRef: object({ apiVersion: str(), fieldPath: str() }, { required: ['fieldPath'] }),
    mode: int32(),
    path: str(),
    resourceFieldRef: object(
      { containerName: str(), divisor: quantity(), resource: str() },
      { required: ['resource'] },
    ),
  },
  { required: ['path'] },
);

const localObjectReference = object({ name: str('Name of the referent.') });

const projection = object({
  clusterTrustBundle: openObject(),
  configMap: object({ items: listOf(keyToPath), name: str(), optional: bool() }),
  downwardAPI: object({ items: listOf(downwardItem) }),
  secret: object({ items: listOf(keyToPath), name: str(), optional: bool() }),
  serviceAccountToken: object(
    { audience: str(), expirationSeconds: int32(), path: str() },
    { required: ['path'] },
  ),
});

const persistentVolumeClaimSpec = object({
  accessModes: listOf(str()),
  dataSource: object({ apiGroup: str(), kind: str(), name: str() }),
  dataSourceRef: object({ apiGroup: str(), kind: str(), name: str(), namespace: str() }),
  resources: object({ limits: stringMap(), requests: stringMap() }),
  selector: ref(metaName('LabelSelector')),
  storageClassName: str(),
  volumeAttributesClassName: str(),
  volumeMode: str(),
  volumeName: str(),
});

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
    { required: ['monitors'] },
  ),
  fc: object({
    fsType: str(),
    lun: int32(),
    readOnly: bool(),
    targetWWNs: listOf(str()),
    wwids: listOf(str()),
  }),
  flexVolume: object(
    { driver: str(), fsType: str(), options: stringMap(), readOnly: bool(), secretRef: localObjectReference },
    { required: ['driver'] },
  ),
  gitRepo: object({ directory: str(), repository: str(), revision: str() }, { required: ['repository'] }),
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
    { required: ['targetPortal', 'iqn', 'lun'] },
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
    { required: ['monitors', 'image'] },
  ),
};

/**
 * In-tree cloud and vendor volume types Kubernetes still describes (deprecated). No gateway can
 * mount them and pod validation says so; they are named here so that a manifest using one gets
 * that answer rather than "unknown field".
 */
const cloudSources: Record<string, Schema> = Object.fromEntries(
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
    { description: 'The keys of a ConfigMap as files.' },
  ),
  csi: object(
    {
      driver: str(),
      fsType: str(),
      nodePublishSecretRef: localObjectReference,
      readOnly: bool(),
      volumeAttributes: stringMap(),
    },
    { required: ['driver'] },
  ),
  downwardAPI: object({ defaultMode: int32(), items: listOf(downwardItem) }),
  emptyDir: object(
    { medium: str('"" or "Memory".'), sizeLimit: quantity() },
    { description: 'An empty directory that lives as long as the pod.' },
  ),
  ephemeral: object({
    volumeClaimTemplate: object(
      { metadata: ref(metaName('ObjectMeta')), spec: persistentVolumeClaimSpec },
      { required: ['spec'] },
    ),
  }),
  hostPath: object(
    { path: str('Path of the directory on the host.'), type: str() },
    { required: ['path'], description: "A file or directory of the gateway's own file system." },
  ),
  image: object({ pullPolicy: str(), reference: str() }),
  nfs: object({ path: str(), readOnly: bool(), server: str() }, { required: ['server', 'path'] }),
  persistentVolumeClaim: object(
    { claimName: str(), readOnly: bool() },
    { required: ['claimName'], description: 'The volume bound to a PersistentVolumeClaim of the namespace.' },
  ),
  projected: object(
    { defaultMode: int32(), sources: listOf(projection) },
    { description: 'Secrets, ConfigMaps, downward API items and tokens in one directory.' },
  ),
  secret: object(
    { defaultMode: int32(), items: listOf(keyToPath), optional: bool(), secretName: str() },
    { description: 'The keys of a Secret as files.' },
  ),
};

export const volumeSchemas: SchemaTable = {
  [coreName('Volume')]: object(
    { name: str('Name of the volume. Must be a DNS_LABEL and unique within the pod.'), ...volumeSources },
    { required: ['name'], description: 'Volume represents a named volume in a pod.' },
  ),
  [coreName('LocalObjectReference')]: localObjectReference,
};
