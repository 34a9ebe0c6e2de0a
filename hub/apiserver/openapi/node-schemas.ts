// core/v1 Node: spec (podCIDRs merge as a set, taints), status (conditions and
// addresses merge by type, as the kubelet patches them).
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
  type SchemaTable,
  setList,
  str,
  time,
} from './schema-builders.js';

const nodeSpec = object({
  configSource: openObject('Deprecated: dynamic kubelet configuration is gone.'),
  externalID: str('Deprecated.'),
  podCIDR: str('The pod IP range assigned to the node.'),
  podCIDRs: setList(str(), 'The IP ranges assigned to the node for use by pods on that node.'),
  providerID: str('ID of the node assigned by the cloud provider.'),
  taints: listOf(ref(coreName('Taint')), "If specified, the node's taints."),
  unschedulable: bool('Controls node schedulability of new pods.'),
});

const nodeSystemInfo = object({
  architecture: str(),
  bootID: str(),
  containerRuntimeVersion: str('ContainerRuntime Version reported by the node (e.g. containerd://1.7.24).'),
  kernelVersion: str("Kernel Version reported by the node from 'uname -r'."),
  kubeProxyVersion: str('Deprecated.'),
  kubeletVersion: str('Kubelet Version reported by the node.'),
  machineID: str(),
  operatingSystem: str(),
  osImage: str('OS Image reported by the node from /etc/os-release.'),
  swap: object({ capacity: int64() }),
  systemUUID: str(),
});

const nodeStatus = object({
  addresses: mergeList(object({ address: str(), type: str() }, { required: ['type', 'address'] }), 'type', {
    description: 'List of addresses reachable to the node.',
  }),
  allocatable: mapOf(quantity(), 'Resources of a node available for scheduling.'),
  capacity: mapOf(quantity(), 'Total resources of the node.'),
  conditions: mergeList(ref(coreName('NodeCondition')), 'type', {
    description: 'Current service state of the node.',
  }),
  config: openObject(),
  daemonEndpoints: object({ kubeletEndpoint: object({ Port: int32() }, { required: ['Port'] }) }),
  features: object({ supplementalGroupsPolicy: bool() }),
  images: listOf(object({ names: listOf(str()), sizeBytes: int64() })),
  nodeInfo: ref(coreName('NodeSystemInfo')),
  phase: str('Deprecated.'),
  runtimeHandlers: listOf(openObject()),
  volumesAttached: listOf(object({ devicePath: str(), name: str() }, { required: ['name', 'devicePath'] })),
  volumesInUse: listOf(str()),
});

const gvk = { group: '', version: 'v1', kind: 'Node' };

export const nodeSchemas: SchemaTable = {
  [coreName('Node')]: kindSchema(
    gvk,
    { spec: ref(coreName('NodeSpec')), status: ref(coreName('NodeStatus')) },
    'Node is a worker node in Kubernetes; in Flotilla, an edge gateway.',
  ),
  [coreName('NodeList')]: listKindSchema(gvk),
  [coreName('NodeSpec')]: nodeSpec,
  [coreName('NodeStatus')]: nodeStatus,
  [coreName('NodeSystemInfo')]: nodeSystemInfo,
  [coreName('NodeCondition')]: object(
    {
      lastHeartbeatTime: time(),
      lastTransitionTime: time(),
      message: str(),
      reason: str(),
      status: str(),
      type: str(),
    },
    { required: ['type', 'status'] },
  ),
  [coreName('Taint')]: object(
    {
      effect: str('NoSchedule, PreferNoSchedule or NoExecute.'),
      key: str(),
      timeAdded: time(),
      value: str(),
    },
    { required: ['key', 'effect'] },
  ),
};
