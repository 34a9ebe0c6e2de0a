// Pod (v1).
import { defaultPod } from '../../../api/defaults/pod-defaults.js';
import {
  validatePod,
  validatePodEphemeralContainers,
  validatePodStatus,
} from '../../../api/validation/pod.js';
import { podSchemas } from '../../apiserver/openapi/pod-schemas.js';
import { podHooks } from '../../apiserver/registry/pod-hooks.js';
import { podColumns, podRow } from '../../apiserver/tables/pod-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const podKind: KindDefinition = {
  openapi: podSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      'status',
      'binding',
      'eviction',
      'log',
      'exec',
      'attach',
      'portforward',
      'ephemeralcontainers',
    ],
  }),
  fieldLabels: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  printer: { columns: podColumns, row: podRow },
  default: defaultPod,
  validate: validatePod,
  validateStatus: validatePodStatus,
  subresourceRules: { ephemeralcontainers: validatePodEphemeralContainers },
  hooks: podHooks,
  protobufMessage: 'k8s.io.api.core.v1.Pod',
};
