import assert from 'node:assert/strict';
import { validateCreate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import { aPod, summarize } from '../../helpers/builders.js';

function podErrors(change: (pod: ReturnType<typeof aPod>) => void): string[] {
  const pod = aPod();
  change(pod);
  return summarize(validateCreate(validationOf('Pod'), pod));
}

describe('Container validation', () => {
  it('checks container ports', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.containers[0].ports = [
          { containerPort: 70000, protocol: 'HTTP' },
          { name: 'this-name-is-too-long', containerPort: 80, hostPort: -1 },
          { name: 'http', containerPort: 0 },
        ];
      }),
      [
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'spec.containers[0].ports[1].name: Invalid value: "this-name-is-too-long": must be no more than 15 characters',
        'spec.containers[0].ports[1].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[2].containerPort: Required value',
      ],
    );
  });

  it('checks environment variable names', () => {
    const [error] = podErrors((p) => {
      p.spec.containers[0].env = [{ name: '1ABC', value: 'x' }];
    });
    assert.equal(
      error,
      `spec.containers[0].env[0].name: Invalid value: "1ABC": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
    );
  });

  it('requires valueFrom to name exactly one source', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.containers[0].env = [
          { name: 'A', valueFrom: {} },
          {
            name: 'B',
            valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } },
          },
          { name: 'C', valueFrom: { fieldRef: { fieldPath: 'spec.hostname' } } },
        ];
      }),
      [
        'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        'spec.containers[0].env[1].valueFrom: Invalid value: "": may not have more than one field specified at a time',
        'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.hostname": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ],
    );
  });

  it('requires volume mounts to name a declared volume and a mount path', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.volumes = [{ name: 'data', emptyDir: {} }];
        p.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }, { name: 'cache' }];
      }),
      [
        'spec.containers[0].volumeMounts[1].name: Not found: "cache"',
        'spec.containers[0].volumeMounts[1].mountPath: Required value',
      ],
    );
  });

  it('reports unparseable resource quantities with kube’s message', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.containers[0].resources = { limits: { memory: '1Gb' } };
      }),
      [
        `spec.containers[0].resources.limits[memory]: Invalid value: "1Gb": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      ],
    );
  });

  it('requires requests not to exceed limits', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.containers[0].resources = { requests: { cpu: '2' }, limits: { cpu: '1500m' } };
      }),
      [
        'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1500m',
      ],
    );
  });

  it('rejects unknown unprefixed resource names', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.containers[0].resources = { limits: { gpu: '1' } };
      }),
      [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    );
  });

  it('requires a probe to have exactly one handler and positive periods', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.containers[0].livenessProbe = { periodSeconds: 0 };
        p.spec.containers[0].readinessProbe = {
          exec: { command: ['true'] },
          httpGet: { port: 8080 },
        };
      }),
      [
        'spec.containers[0].livenessProbe: Required value: must specify a handler type',
        'spec.containers[0].livenessProbe.periodSeconds: Invalid value: 0: must be greater than 0',
        'spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type',
      ],
    );
  });
});
