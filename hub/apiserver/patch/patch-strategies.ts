// Which fields of each built-in kind a strategic merge patch merges instead of replacing.
// Facts taken from the `patchStrategy` / `patchMergeKey` struct tags of k8s.io/api
// (core/v1, apps/v1, batch/v1, meta/v1 ObjectMeta). A field missing from a table is
// atomic: a list in the patch replaces the stored list wholesale, as kube-apiserver does.
//
// Paths are field names joined by '.', with list elements adding no segment, so
// `spec.containers.env` is the env list of every container of a Pod.

export interface FieldStrategy {
  /** `patchStrategy:"merge"`: the list merges with the stored one instead of replacing it. */
  merge: boolean;
  /** `patchMergeKey`: identifies list elements; absent for merged lists of primitives. */
  mergeKey?: string;
  /** `patchStrategy:"retainKeys"`: a `$retainKeys` directive is expected on this map/element. */
  retainKeys?: boolean;
}

export type KindStrategies = ReadonlyMap<string, FieldStrategy>;

type Entry = readonly [string, FieldStrategy];

const byKey = (mergeKey: string): FieldStrategy => ({ merge: true, mergeKey });
const byKeyRetaining = (mergeKey: string): FieldStrategy => ({ merge: true, mergeKey, retainKeys: true });
const union: FieldStrategy = { merge: true };

function under(prefix: string, entries: readonly Entry[]): Entry[] {
  return entries.map(([path, strategy]) => [prefix ? `${prefix}.${path}` : path, strategy]);
}

// meta/v1 ObjectMeta.
const objectMeta: readonly Entry[] = [
  ['finalizers', union],
  ['ownerReferences', byKey('uid')],
];

// core/v1 Container and EphemeralContainerCommon share these list fields.
const container: readonly Entry[] = [
  ['ports', byKey('containerPort')],
  ['env', byKey('name')],
  ['volumeMounts', byKey('mountPath')],
  ['volumeDevices', byKey('devicePath')],
];

// core/v1 PodSpec. Tolerations, readinessGates and affinity terms carry no strategy: atomic.
const podSpec: readonly Entry[] = [
  ['volumes', byKeyRetaining('name')],
  ['initContainers', byKey('name')],
  ['containers', byKey('name')],
  ['ephemeralContainers', byKey('name')],
  ['imagePullSecrets', byKey('name')],
  ['hostAliases', byKey('ip')],
  ['topologySpreadConstraints', byKey('topologyKey')],
  ['schedulingGates', byKey('name')],
  ['resourceClaims', byKeyRetaining('name')],
  ...under('initContainers', container),
  ...under('containers', container),
  ...under('ephemeralContainers', container),
];

// core/v1 PodStatus. containerStatuses carries no strategy: atomic.
const podStatus: readonly Entry[] = [
  ['conditions', byKey('type')],
  ['podIPs', byKey('ip')],
  ['hostIPs', byKey('ip')],
  ['resourceClaimStatuses', byKeyRetaining('name')],
];

/** core/v1 PodTemplateSpec, as embedded by every workload. */
function podTemplate(prefix: string): Entry[] {
  return [...under(`${prefix}.metadata`, objectMeta), ...under(`${prefix}.spec`, podSpec)];
}

// The `status.conditions` list of most kinds is merged by condition type.
const statusConditions: readonly Entry[] = [['status.conditions', byKey('type')]];

const tables: Record<string, readonly Entry[]> = {
  Pod: [...under('spec', podSpec), ...under('status', podStatus)],
  Deployment: [
    ...podTemplate('spec.template'),
    ['spec.strategy', { merge: false, retainKeys: true }],
    ...statusConditions,
  ],
  ReplicaSet: [...podTemplate('spec.template'), ...statusConditions],
  DaemonSet: [...podTemplate('spec.template'), ...statusConditions],
  Job: [...podTemplate('spec.template'), ...statusConditions],
  CronJob: [
    ...under('spec.jobTemplate.metadata', objectMeta),
    ...podTemplate('spec.jobTemplate.spec.template'),
  ],
  Service: [['spec.ports', byKey('port')], ...statusConditions],
  Namespace: statusConditions,
  Node: [
    ['spec.podCIDRs', union],
    ['status.conditions', byKey('type')],
    ['status.addresses', byKey('type')],
  ],
  // Endpoints subsets, EndpointSlice endpoints/ports, ConfigMap, Secret, Event, Lease and
  // ControllerRevision only have ObjectMeta lists that merge.
  Endpoints: [],
  EndpointSlice: [],
  ConfigMap: [],
  Secret: [],
  Event: [],
  Lease: [],
  ControllerRevision: [],
};

const compiled = new Map<string, KindStrategies>(
  Object.entries(tables).map(([kind, entries]) => [
    kind,
    new Map([...under('metadata', objectMeta), ...entries]),
  ]),
);

/** The merge table for a built-in kind, or undefined for kinds without one (every list atomic). */
export function patchStrategiesFor(kind: string): KindStrategies | undefined {
  return compiled.get(kind);
}

/** The strategy declared for the field at `path`, if any. */
export function strategyAt(strategies: KindStrategies | undefined, path: string): FieldStrategy | undefined {
  return strategies?.get(path);
}
