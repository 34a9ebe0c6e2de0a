// core/v1 Pod and PodStatus. Status lists merge like kube-apiserver's: conditions by
// type, podIPs and hostIPs by ip.
import { pointer } from './protobuf-fields.js';
import {
  bool,
  coreName,
  int32,
  int64,
  kindSchema,
  listKindSchema,
  listOf,
  mapOf,
  mergeList,
  object,
  openObject,
  quantity,
  ref,
  type Schema,
  type SchemaTable,
  str,
  time,
} from './schema-builders.js';

const containerState = object(
  {
    running: object({ startedAt: time() }, { protobuf: { startedAt: 1 } }),
    terminated: object(
      {
        containerID: str(),
        exitCode: int32(),
        finishedAt: time(),
        message: str(),
        reason: str(),
        signal: int32(),
        startedAt: time(),
      },
      {
        required: ['exitCode'],
        protobuf: {
          exitCode: 1,
          signal: 2,
          reason: 3,
          message: 4,
          startedAt: 5,
          finishedAt: 6,
          containerID: 7,
        },
      },
    ),
    waiting: object({ message: str(), reason: str() }, { protobuf: { reason: 1, message: 2 } }),
  },
  { protobuf: { waiting: pointer(1), running: pointer(2), terminated: pointer(3) } },
);

const containerStatus = object(
  {
    allocatedResources: mapOf(quantity()),
    containerID: str(),
    image: str(),
    imageID: str(),
    lastState: ref(coreName('ContainerState'), "Details about the container's last termination condition."),
    name: str(),
    ready: bool(),
    resources: ref(coreName('ResourceRequirements')),
    restartCount: int32(),
    started: bool(),
    state: ref(coreName('ContainerState'), "Details about the container's current condition."),
    user: openObject(),
    volumeMounts: listOf(
      object(
        { mountPath: str(), name: str(), readOnly: bool(), recursiveReadOnly: str() },
        { protobuf: { name: 1, mountPath: 2, readOnly: 3, recursiveReadOnly: pointer(4) } },
      ),
    ),
  },
  {
    required: ['name', 'ready', 'restartCount', 'image', 'imageID'],
    protobuf: {
      name: 1,
      state: 2,
      lastState: 3,
      ready: 4,
      restartCount: 5,
      image: 6,
      imageID: 7,
      containerID: 8,
      started: pointer(9),
      allocatedResources: 10,
      resources: pointer(11),
      volumeMounts: 12,
      user: pointer(13),
    },
  },
);

const ipList = (description: string): Schema =>
  mergeList(object({ ip: str() }, { required: ['ip'], protobuf: { ip: 1 } }), 'ip', { description });

const podStatus = object(
  {
    conditions: mergeList(ref(coreName('PodCondition')), 'type', {
      description: 'Current service state of pod.',
    }),
    containerStatuses: listOf(ref(coreName('ContainerStatus'))),
    ephemeralContainerStatuses: listOf(ref(coreName('ContainerStatus'))),
    hostIP: str(),
    hostIPs: ipList('IP addresses allocated to the host.'),
    initContainerStatuses: listOf(ref(coreName('ContainerStatus'))),
    message: str(),
    nominatedNodeName: str(),
    observedGeneration: int64(),
    phase: str('Pending, Running, Succeeded, Failed or Unknown.'),
    podIP: str(),
    podIPs: ipList('IP addresses allocated to the pod.'),
    qosClass: str(),
    reason: str(),
    resize: str(),
    resourceClaimStatuses: mergeList(
      object(
        { name: str(), resourceClaimName: str() },
        { required: ['name'], protobuf: { name: 1, resourceClaimName: pointer(2) } },
      ),
      'name',
      {
        retainKeys: true,
      },
    ),
    startTime: time(),
  },
  {
    protobuf: {
      phase: 1,
      conditions: 2,
      message: 3,
      reason: 4,
      hostIP: 5,
      podIP: 6,
      startTime: pointer(7),
      containerStatuses: 8,
      qosClass: 9,
      initContainerStatuses: 10,
      nominatedNodeName: 11,
      podIPs: 12,
      ephemeralContainerStatuses: 13,
      resize: 14,
      resourceClaimStatuses: 15,
      hostIPs: 16,
      observedGeneration: 17,
    },
  },
);

const gvk = { group: '', version: 'v1', kind: 'Pod' };

export const podSchemas: SchemaTable = {
  [coreName('Pod')]: kindSchema(
    gvk,
    {
      spec: ref(coreName('PodSpec'), 'Specification of the desired behavior of the pod.'),
      status: ref(coreName('PodStatus'), 'Most recently observed status of the pod.'),
    },
    'Pod is a collection of containers that can run on a host.',
    { spec: 2, status: 3 },
  ),
  [coreName('PodList')]: listKindSchema(gvk),
  [coreName('PodStatus')]: podStatus,
  [coreName('PodCondition')]: object(
    {
      lastProbeTime: time(),
      lastTransitionTime: time(),
      message: str(),
      observedGeneration: int64(),
      reason: str(),
      status: str(),
      type: str(),
    },
    {
      required: ['type', 'status'],
      protobuf: {
        type: 1,
        status: 2,
        lastProbeTime: 3,
        lastTransitionTime: 4,
        reason: 5,
        message: 6,
        observedGeneration: 7,
      },
    },
  ),
  [coreName('ContainerStatus')]: containerStatus,
  [coreName('ContainerState')]: containerState,
};
