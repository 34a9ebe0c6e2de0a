// NodeMetrics (metrics.k8s.io/v1beta1): a gateway's CPU and memory use (kubectl top node). Read
// from the gateway when asked, never stored (hub/apiserver/metrics/metrics-handler.ts).
import { metricsSchemas } from '../../apiserver/openapi/metrics-schemas.js';
import { nodeMetricsPrinter } from '../../apiserver/tables/metrics-tables.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const nodeMetricsKind: KindDefinition = {
  openapi: metricsSchemas,
  info: resourceInfo({
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    resource: 'nodes',
    kind: 'NodeMetrics',
    namespaced: false,
    verbs: ['get', 'list'],
  }),
  printer: nodeMetricsPrinter,
  usage: 'node',
};
