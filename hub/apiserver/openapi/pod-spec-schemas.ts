// core/v1 PodSpec and PodTemplateSpec, embedded by Pod and every workload kind.
// Merge keys follow k8s.io/api/core/v1: containers, initContainers, ephemeralContainers,
// imagePullSecrets and schedulingGates by name; volumes and resourceClaims by name with
// retainKeys; hostAliases by ip; topologySpreadConstraints by topologyKey.
import {
  bool,
  coreName,
  int32,
  int64,
  listOf,
  mapOf,
  mergeList,
  metaName,
  object,
  quantity,
  ref,
  type Schema,
  type SchemaTable,
  str,
  stringMap,
} from './schema-builders.js';

const nodeSelectorRequirement = object(
  { key: str(), operator: str(), values: listOf(str()) },
  { required: ['key', 'operator'] },
);
const nodeSelectorTerm = object({
  matchExpressions: listOf(nodeSelectorRequirement),
  matchFields: listOf(nodeSelectorRequirement),
});

const podAffinityTerm = object(
  {
    labelSelector: ref(metaName('LabelSelector')),
    matchLabelKeys: listOf(str()),
    mismatchLabelKeys: listOf(str()),
    namespaceSelector: ref(metaName('LabelSelector')),
    namespaces: listOf(str()),
    topologyKey: str(),
  },
  { required: ['topologyKey'] },
);

const podAffinity = (description: string): Schema =>
  object(
    {
      preferredDuringSchedulingIgnoredDuringExecution: listOf(
        object({ podAffinityTerm, weight: int32() }, { required: ['weight', 'podAffinityTerm'] }),
      ),
      requiredDuringSchedulingIgnoredDuringExecution: listOf(podAffinityTerm),
    },
    { description },
  );

const affinity = object({
  nodeAffinity: object({
    preferredDuringSchedulingIgnoredDuringExecution: listOf(
      object({ preference: nodeSelectorTerm, weight: int32() }, { required: ['weight', 'preference'] }),
    ),
    requiredDuringSchedulingIgnoredDuringExecution: object(
      { nodeSelectorTerms: listOf(nodeSelectorTerm) },
      { required: ['nodeSelectorTerms'] },
    ),
  }),
  podAffinity: podAffinity('Pod affinity scheduling rules.'),
  podAntiAffinity: podAffinity('Pod anti-affinity scheduling rules.'),
});

const podSecurityContext = object({
  appArmorProfile: object({ localhostProfile: str(), type: str() }, { required: ['type'] }),
  fsGroup: int64(),
  fsGroupChangePolicy: str(),
  runAsGroup: int64(),
  runAsNonRoot: bool(),
  runAsUser: int64(),
  seLinuxChangePolicy: str(),
  seLinuxOptions: ref(coreName('SELinuxOptions')),
  seccompProfile: object({ localhostProfile: str(), type: str() }, { required: ['type'] }),
  supplementalGroups: listOf(int64()),
  supplementalGroupsPolicy: str(),
  sysctls: listOf(object({ name: str(), value: str() }, { required: ['name', 'value'] })),
  windowsOptions: ref(coreName('WindowsSecurityContextOptions')),
});

const podSpec = object(
  {
    activeDeadlineSeconds: int64(
      'Seconds the pod may run, counted from its start, before it is stopped and marked Failed.',
    ),
    affinity: ref(coreName('Affinity'), "If specified, the pod's scheduling constraints"),
    automountServiceAccountToken: bool('Whether the service account token is mounted into the containers.'),
    containers: mergeList(ref(coreName('Container')), 'name', {
      description: 'List of containers belonging to the pod.',
    }),
    dnsConfig: object({
      nameservers: listOf(str()),
      options: listOf(object({ name: str(), value: str() })),
      searches: listOf(str()),
    }),
    dnsPolicy: str(
      'How the containers resolve names: ClusterFirst (the default), ClusterFirstWithHostNet, Default or None.',
    ),
    enableServiceLinks: bool(
      'Whether Services of the namespace are also given to the containers as environment variables.',
    ),
    ephemeralContainers: mergeList(ref(coreName('EphemeralContainer')), 'name'),
    hostAliases: mergeList(object({ hostnames: listOf(str()), ip: str() }, { required: ['ip'] }), 'ip'),
    hostIPC: bool("Use the gateway's IPC namespace."),
    hostNetwork: bool(
      "Use the gateway's network namespace: the pod sees the gateway's interfaces and its ports are the gateway's.",
    ),
    hostPID: bool("Use the gateway's process namespace."),
    hostUsers: bool("Whether the pod shares the gateway's user namespace (true by default)."),
    hostname: str("The pod's host name; the pod name when empty."),
    imagePullSecrets: mergeList(ref(coreName('LocalObjectReference')), 'name', {
      description: 'Secrets with registry credentials for pulling the images.',
    }),
    initContainers: mergeList(ref(coreName('Container')), 'name', {
      description: 'List of initialization containers belonging to the pod.',
    }),
    nodeName: str('A request to schedule this pod onto a specific node.'),
    nodeSelector: stringMap('A selector which must be true for the pod to fit on a node.'),
    os: object({ name: str() }, { required: ['name'] }),
    overhead: mapOf(quantity()),
    preemptionPolicy: str('Never, or PreemptLowerPriority (the default).'),
    priority: int32('Scheduling priority, filled in from priorityClassName.'),
    priorityClassName: str('The PriorityClass that gives the pod its priority.'),
    readinessGates: listOf(object({ conditionType: str() }, { required: ['conditionType'] })),
    resourceClaims: mergeList(
      object(
        { name: str(), resourceClaimName: str(), resourceClaimTemplateName: str() },
        { required: ['name'] },
      ),
      'name',
      {
        retainKeys: true,
      },
    ),
    resources: ref(coreName('ResourceRequirements')),
    restartPolicy: str('Always, OnFailure or Never.'),
    runtimeClassName: str('The RuntimeClass (container runtime handler) the pod runs with.'),
    schedulerName: str('The scheduler that places the pod; default-scheduler when empty.'),
    schedulingGates: mergeList(object({ name: str() }, { required: ['name'] }), 'name'),
    securityContext: ref(
      coreName('PodSecurityContext'),
      'User, group and kernel settings for every container of the pod.',
    ),
    serviceAccount: str('Deprecated alias for serviceAccountName.'),
    serviceAccountName: str('The ServiceAccount the pod runs as.'),
    setHostnameAsFQDN: bool("Make the pod's host name its fully qualified domain name."),
    shareProcessNamespace: bool("Let the containers of the pod see each other's processes."),
    subdomain: str(
      'With a headless Service of this name, gives the pod the DNS name <hostname>.<subdomain>.<namespace>.svc.',
    ),
    terminationGracePeriodSeconds: int64(
      'Seconds between the stop signal and the kill when the pod is deleted (default 30).',
    ),
    tolerations: listOf(ref(coreName('Toleration')), "If specified, the pod's tolerations."),
    topologySpreadConstraints: mergeList(
      object(
        {
          labelSelector: ref(metaName('LabelSelector')),
          matchLabelKeys: listOf(str()),
          maxSkew: int32(),
          minDomains: int32(),
          nodeAffinityPolicy: str(),
          nodeTaintsPolicy: str(),
          topologyKey: str(),
          whenUnsatisfiable: str(),
        },
        { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
      ),
      'topologyKey',
    ),
    volumes: mergeList(ref(coreName('Volume')), 'name', {
      retainKeys: true,
      description: 'List of volumes that can be mounted by containers belonging to the pod.',
    }),
  },
  { required: ['containers'], description: 'PodSpec is a description of a pod.' },
);

export const podSpecSchemas: SchemaTable = {
  [coreName('PodSpec')]: podSpec,
  [coreName('PodTemplateSpec')]: object(
    {
      metadata: ref(metaName('ObjectMeta'), "Standard object's metadata."),
      spec: ref(coreName('PodSpec'), 'Specification of the desired behavior of the pod.'),
    },
    { description: 'PodTemplateSpec describes the data a pod should have when created from a template' },
  ),
  [coreName('PodSecurityContext')]: podSecurityContext,
  [coreName('Affinity')]: affinity,
  [coreName('Toleration')]: object({
    effect: str('NoSchedule, PreferNoSchedule or NoExecute.'),
    key: str(),
    operator: str('Exists or Equal.'),
    tolerationSeconds: int64(),
    value: str(),
  }),
};
