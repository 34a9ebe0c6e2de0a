// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics (k8s.io/metrics), read-only: the usage the
// hub reads from its gateways (hub/apiserver/metrics/).
import {
  apiSchemaName,
  kindSchema,
  listKindSchema,
  listOf,
  mapOf,
  metaName,
  object,
  quantityName,
  ref,
  type SchemaTable,
  str,
} from './schema-builders.js';

const group = 'metrics.k8s.io';
const version = 'v1beta1';
const gvk = (kind: string) => ({ group, version, kind });
const metricsName = (kind: string) => apiSchemaName(group, version, kind);

const reading = {
  timestamp: ref(
    metaName('Time'),
    'The time the usage was read on the gateway: the end of the window. An offline gateway keeps its last reading, with its own time.',
  ),
  window: str('The interval the CPU rate was measured over, a duration such as "15.01s".'),
};
const usage = mapOf(ref(quantityName), 'The memory and CPU usage: cpu in cores, memory in bytes.');

export const metricsSchemas: SchemaTable = {
  [metricsName('NodeMetrics')]: kindSchema(
    gvk('NodeMetrics'),
    { ...reading, usage },
    'NodeMetrics sets resource usage metrics of a node.',
  ),
  [metricsName('NodeMetricsList')]: listKindSchema(gvk('NodeMetrics')),
  [metricsName('ContainerMetrics')]: object(
    { name: str('Container name corresponding to the one from pod.spec.containers.'), usage },
    {
      required: ['name', 'usage'],
      description: 'ContainerMetrics sets resource usage metrics of a container.',
    },
  ),
  [metricsName('PodMetrics')]: kindSchema(
    gvk('PodMetrics'),
    {
      ...reading,
      containers: listOf(
        ref(metricsName('ContainerMetrics')),
        'Metrics for all containers are collected within the same time window.',
      ),
    },
    'PodMetrics sets resource usage metrics of a pod.',
  ),
  [metricsName('PodMetricsList')]: listKindSchema(gvk('PodMetrics')),
};
