// The schema of a CronTab-like custom resource, shared by the CRD schema tests.
import type { JsonSchemaProps } from '../../../api/validation/custom-resource.js';

/** A CronTab-like CRD schema using most of what the validator knows. */
export function cronTabSchema(): JsonSchemaProps {
  return {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['cronSpec', 'image'],
        properties: {
          cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
          image: { type: 'string', minLength: 1, maxLength: 64 },
          replicas: { type: 'integer', minimum: 1, maximum: 10, format: 'int32' },
          policy: { type: 'string', enum: ['Allow', 'Forbid'] },
          note: { type: 'string', nullable: true },
          startedAt: { type: 'string', format: 'date-time' },
          ports: {
            type: 'array',
            maxItems: 3,
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: {
              type: 'object',
              required: ['name'],
              properties: { name: { type: 'string' }, port: { 'x-kubernetes-int-or-string': true } },
            },
          },
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          template: {
            type: 'object',
            'x-kubernetes-embedded-resource': true,
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      },
      status: { type: 'object', properties: { ready: { type: 'boolean' } } },
    },
  };
}
