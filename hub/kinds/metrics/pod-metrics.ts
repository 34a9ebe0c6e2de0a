// PodMetrics (metrics.k8s.io/v1beta1): a pod's CPU and memory use per container (kubectl top
// pod). Read from the pod's gateway when asked, never stored (hub/apiserver/metrics/metrics-handler.ts).
import { metricsSchemas } from '../../apiserver/openapi/metrics-schemas.js';
import { podMetricsPrinter } from '../../apiserver/tables/metrics-tables.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const podMetricsKind: KindDefinition = {
  openapi: metricsSchemas,
  info: resourceInfo({
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    resource: 'pods',
    kind: 'PodMetrics',
    namespaced: true,
    verbs: ['get', 'list'],
  }),
  printer: podMetricsPrinter,
  usage: 'pods',
};
