// core/v1 Pod and PodStatus. Status lists merge like kube-apiserver's: conditions by
// type, podIPs and hostIPs by ip.
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

const containerState = object({
  running: object({ startedAt: time() }),
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
    { required: ['exitCode'] },
  ),
  waiting: object({ message: str(), reason: str() }),
});

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
      object({ mountPath: str(), name: str(), readOnly: bool(), recursiveReadOnly: str() }),
    ),
  },
  { required: ['name', 'ready', 'restartCount', 'image', 'imageID'] },
);

const ipList = (description: string): Schema =>
  mergeList(object({ ip: str() }, { required: ['ip'] }), 'ip', { description });

const podStatus = object({
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
    object({ name: str(), resourceClaimName: str() }, { required: ['name'] }),
    'name',
    {
      retainKeys: true,
    },
  ),
  startTime: time(),
});

const gvk = { group: '', version: 'v1', kind: 'Pod' };

export const podSchemas: SchemaTable = {
  [coreName('Pod')]: kindSchema(
    gvk,
    {
      spec: ref(coreName('PodSpec'), 'Specification of the desired behavior of the pod.'),
      status: ref(coreName('PodStatus'), 'Most recently observed status of the pod.'),
    },
    'Pod is a collection of containers that can run on a host.',
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
    { required: ['type', 'status'] },
  ),
  [coreName('ContainerStatus')]: containerStatus,
  [coreName('ContainerState')]: containerState,
};
