// core/v1 PodSpec and PodTemplateSpec, embedded by Pod and every workload kind.
// Merge keys follow k8s.io/api/core/v1: containers, initContainers, ephemeralContainers,
// imagePullSecrets and schedulingGates by name; volumes and resourceClaims by name with
// retainKeys; hostAliases by ip; topologySpreadConstraints by topologyKey.
import { pointer } from './protobuf-fields.js';
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
  { required: ['key', 'operator'], protobuf: { key: 1, operator: 2, values: 3 } },
);
const nodeSelectorTerm = object(
  {
    matchExpressions: listOf(nodeSelectorRequirement),
    matchFields: listOf(nodeSelectorRequirement),
  },
  { protobuf: { matchExpressions: 1, matchFields: 2 } },
);

const podAffinityTerm = object(
  {
    labelSelector: ref(metaName('LabelSelector')),
    matchLabelKeys: listOf(str()),
    mismatchLabelKeys: listOf(str()),
    namespaceSelector: ref(metaName('LabelSelector')),
    namespaces: listOf(str()),
    topologyKey: str(),
  },
  {
    required: ['topologyKey'],
    protobuf: {
      labelSelector: pointer(1),
      namespaces: 2,
      topologyKey: 3,
      namespaceSelector: pointer(4),
      matchLabelKeys: 5,
      mismatchLabelKeys: 6,
    },
  },
);

const podAffinity = (description: string): Schema =>
  object(
    {
      preferredDuringSchedulingIgnoredDuringExecution: listOf(
        object(
          { podAffinityTerm, weight: int32() },
          { required: ['weight', 'podAffinityTerm'], protobuf: { weight: 1, podAffinityTerm: 2 } },
        ),
      ),
      requiredDuringSchedulingIgnoredDuringExecution: listOf(podAffinityTerm),
    },
    {
      description,
      protobuf: {
        requiredDuringSchedulingIgnoredDuringExecution: 1,
        preferredDuringSchedulingIgnoredDuringExecution: 2,
      },
    },
  );

const affinity = object(
  {
    nodeAffinity: object(
      {
        preferredDuringSchedulingIgnoredDuringExecution: listOf(
          object(
            { preference: nodeSelectorTerm, weight: int32() },
            { required: ['weight', 'preference'], protobuf: { weight: 1, preference: 2 } },
          ),
        ),
        requiredDuringSchedulingIgnoredDuringExecution: object(
          { nodeSelectorTerms: listOf(nodeSelectorTerm) },
          { required: ['nodeSelectorTerms'], protobuf: { nodeSelectorTerms: 1 } },
        ),
      },
      {
        protobuf: {
          requiredDuringSchedulingIgnoredDuringExecution: pointer(1),
          preferredDuringSchedulingIgnoredDuringExecution: 2,
        },
      },
    ),
    podAffinity: podAffinity('Pod affinity scheduling rules.'),
    podAntiAffinity: podAffinity('Pod anti-affinity scheduling rules.'),
  },
  { protobuf: { nodeAffinity: pointer(1), podAffinity: pointer(2), podAntiAffinity: pointer(3) } },
);

/** A seccomp or AppArmor profile. */
const profile = (): Schema =>
  object(
    { localhostProfile: str(), type: str() },
    { required: ['type'], protobuf: { type: 1, localhostProfile: pointer(2) } },
  );

const podSecurityContext = object(
  {
    appArmorProfile: profile(),
    fsGroup: int64(),
    fsGroupChangePolicy: str(),
    runAsGroup: int64(),
    runAsNonRoot: bool(),
    runAsUser: int64(),
    seLinuxChangePolicy: str(),
    seLinuxOptions: ref(coreName('SELinuxOptions')),
    seccompProfile: profile(),
    supplementalGroups: listOf(int64()),
    supplementalGroupsPolicy: str(),
    sysctls: listOf(
      object({ name: str(), value: str() }, { required: ['name', 'value'], protobuf: { name: 1, value: 2 } }),
    ),
    windowsOptions: ref(coreName('WindowsSecurityContextOptions')),
  },
  {
    protobuf: {
      seLinuxOptions: pointer(1),
      runAsUser: pointer(2),
      runAsNonRoot: pointer(3),
      supplementalGroups: 4,
      fsGroup: pointer(5),
      runAsGroup: pointer(6),
      sysctls: 7,
      windowsOptions: pointer(8),
      fsGroupChangePolicy: pointer(9),
      seccompProfile: pointer(10),
      appArmorProfile: pointer(11),
      supplementalGroupsPolicy: pointer(12),
      seLinuxChangePolicy: pointer(13),
    },
  },
);

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
    dnsConfig: object(
      {
        nameservers: listOf(str()),
        options: listOf(object({ name: str(), value: str() }, { protobuf: { name: 1, value: pointer(2) } })),
        searches: listOf(str()),
      },
      { protobuf: { nameservers: 1, searches: 2, options: 3 } },
    ),
    dnsPolicy: str(
      'How the containers resolve names: ClusterFirst (the default), ClusterFirstWithHostNet, Default or None.',
    ),
    enableServiceLinks: bool(
      'Whether Services of the namespace are also given to the containers as environment variables.',
    ),
    ephemeralContainers: mergeList(ref(coreName('EphemeralContainer')), 'name', {
      description:
        'Debugging containers added to a running pod through pods/{name}/ephemeralcontainers (kubectl debug); never changed or removed once added.',
    }),
    hostAliases: mergeList(
      object(
        { hostnames: listOf(str()), ip: str() },
        { required: ['ip'], protobuf: { ip: 1, hostnames: 2 } },
      ),
      'ip',
    ),
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
    os: object({ name: str() }, { required: ['name'], protobuf: { name: 1 } }),
    overhead: mapOf(quantity()),
    preemptionPolicy: str('Never, or PreemptLowerPriority (the default).'),
    priority: int32('Scheduling priority, filled in from priorityClassName.'),
    priorityClassName: str('The PriorityClass that gives the pod its priority.'),
    readinessGates: listOf(
      object({ conditionType: str() }, { required: ['conditionType'], protobuf: { conditionType: 1 } }),
    ),
    resourceClaims: mergeList(
      object(
        { name: str(), resourceClaimName: str(), resourceClaimTemplateName: str() },
        {
          required: ['name'],
          protobuf: { name: 1, resourceClaimName: pointer(3), resourceClaimTemplateName: pointer(4) },
        },
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
    schedulingGates: mergeList(
      object({ name: str() }, { required: ['name'], protobuf: { name: 1 } }),
      'name',
    ),
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
        {
          required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
          protobuf: {
            maxSkew: 1,
            topologyKey: 2,
            whenUnsatisfiable: 3,
            labelSelector: pointer(4),
            minDomains: pointer(5),
            nodeAffinityPolicy: pointer(6),
            nodeTaintsPolicy: pointer(7),
            matchLabelKeys: 8,
          },
        },
      ),
      'topologyKey',
    ),
    volumes: mergeList(ref(coreName('Volume')), 'name', {
      retainKeys: true,
      description: 'List of volumes that can be mounted by containers belonging to the pod.',
    }),
  },
  {
    required: ['containers'],
    description: 'PodSpec is a description of a pod.',
    protobuf: {
      volumes: 1,
      containers: 2,
      restartPolicy: 3,
      terminationGracePeriodSeconds: pointer(4),
      activeDeadlineSeconds: pointer(5),
      dnsPolicy: 6,
      nodeSelector: 7,
      serviceAccountName: 8,
      serviceAccount: 9,
      nodeName: 10,
      hostNetwork: 11,
      hostPID: 12,
      hostIPC: 13,
      securityContext: pointer(14),
      imagePullSecrets: 15,
      hostname: 16,
      subdomain: 17,
      affinity: pointer(18),
      schedulerName: 19,
      initContainers: 20,
      automountServiceAccountToken: pointer(21),
      tolerations: 22,
      hostAliases: 23,
      priorityClassName: 24,
      priority: pointer(25),
      dnsConfig: pointer(26),
      shareProcessNamespace: pointer(27),
      readinessGates: 28,
      runtimeClassName: pointer(29),
      enableServiceLinks: pointer(30),
      preemptionPolicy: pointer(31),
      overhead: 32,
      topologySpreadConstraints: 33,
      ephemeralContainers: 34,
      setHostnameAsFQDN: pointer(35),
      os: pointer(36),
      hostUsers: pointer(37),
      schedulingGates: 38,
      resourceClaims: 39,
      resources: pointer(40),
    },
  },
);

export const podSpecSchemas: SchemaTable = {
  [coreName('PodSpec')]: podSpec,
  [coreName('PodTemplateSpec')]: object(
    {
      metadata: ref(metaName('ObjectMeta'), "Standard object's metadata."),
      spec: ref(coreName('PodSpec'), 'Specification of the desired behavior of the pod.'),
    },
    {
      description: 'PodTemplateSpec describes the data a pod should have when created from a template',
      protobuf: { metadata: 1, spec: 2 },
    },
  ),
  [coreName('PodSecurityContext')]: podSecurityContext,
  [coreName('Affinity')]: affinity,
  [coreName('NodeSelector')]: object(
    { nodeSelectorTerms: listOf(nodeSelectorTerm) },
    { required: ['nodeSelectorTerms'] },
  ),
  [coreName('Toleration')]: object(
    {
      effect: str('NoSchedule, PreferNoSchedule or NoExecute.'),
      key: str(),
      operator: str('Exists or Equal.'),
      tolerationSeconds: int64(),
      value: str(),
    },
    { protobuf: { key: 1, operator: 2, value: 3, effect: 4, tolerationSeconds: pointer(5) } },
  ),
};
