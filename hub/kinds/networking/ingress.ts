// Ingress (networking.k8s.io/v1): stored, validated and served. No ingress controller runs in
// the hub, as in a Kubernetes cluster without one: nothing routes its traffic yet.
import { validateIngress } from '../../../api/validation/ingress.js';
import { validateIngressStatus } from '../../../api/validation/status.js';
import { networkingSchemas } from '../../apiserver/openapi/networking-schemas.js';
import { ingressColumns, ingressRow } from '../../apiserver/tables/ingress-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const ingressKind: KindDefinition = {
  openapi: networkingSchemas,
  info: resourceInfo({
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
    shortNames: ['ing'],
    subresources: ['status'],
  }),
  clearStatusOnCreate: true,
  printer: { columns: ingressColumns, row: ingressRow },
  validate: validateIngress,
  validateStatus: validateIngressStatus,
  protobufMessage: 'k8s.io.api.networking.v1.Ingress',
};
