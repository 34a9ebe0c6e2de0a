import assert from 'node:assert/strict';
import { validateCreate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import { aContainer, aPod, defaulted, summarize } from '../../helpers/builders.js';

function podErrors(change: (pod: ReturnType<typeof aPod>) => void): string[] {
  const pod = aPod();
  change(pod);
  return summarize(validateCreate(validationOf('Pod'), pod));
}

describe('Pod validation', () => {
  it('accepts a minimal pod, before and after defaulting', () => {
    assert.deepEqual(validateCreate(validationOf('Pod'), aPod()), []);
    assert.deepEqual(validateCreate(validationOf('Pod'), defaulted('Pod', aPod())), []);
  });

  it('requires at least one container', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.containers = [];
      }),
      ['spec.containers: Required value'],
    );
  });

  it('requires an image', () => {
    assert.deepEqual(
      podErrors((p) => {
        delete p.spec.containers[0].image;
      }),
      ['spec.containers[0].image: Required value'],
    );
  });

  it('requires container names to be DNS labels', () => {
    const [error] = podErrors((p) => {
      p.spec.containers[0].name = 'App_1';
    });
    assert.match(
      error ?? '',
      /^spec\.containers\[0\]\.name: Invalid value: "App_1": a lowercase RFC 1123 label/,
    );
  });

  it('requires container names to be unique across containers and init containers', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.containers.push(aContainer('app'));
        p.spec.initContainers = [aContainer('sidecar'), aContainer('app')];
      }),
      [
        'spec.containers[1].name: Duplicate value: "app"',
        'spec.initContainers[1].name: Duplicate value: "app"',
      ],
    );
  });

  it('requires unique DNS-label volume names with exactly one supported source', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.volumes = [
          { name: 'data', emptyDir: {} },
          { name: 'data', hostPath: { path: '/srv' }, configMap: { name: 'cm' } },
          { name: 'shared', nfs: { server: 'nas', path: '/x' } },
          { name: 'empty' },
        ];
      }),
      [
        'spec.volumes[1].configMap: Forbidden: may not specify more than 1 volume type',
        'spec.volumes[1].name: Duplicate value: "data"',
        'spec.volumes[2].nfs: Forbidden: volume type is not supported by Flotilla',
        'spec.volumes[3]: Required value: must specify a volume type',
      ],
    );
  });

  it('checks the restartPolicy and dnsPolicy enums', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.restartPolicy = 'Sometimes';
        p.spec.dnsPolicy = 'None';
      }),
      [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
      ],
    );
  });

  it('checks nodeSelector labels', () => {
    const [error] = podErrors((p) => {
      p.spec.nodeSelector = { zone: 'eu west' };
    });
    assert.match(error ?? '', /^spec\.nodeSelector: Invalid value: "eu west": a valid label must be/);
  });

  it('checks toleration operators and effects', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.tolerations = [
          { key: 'dedicated', operator: 'Like', value: 'edge' },
          { key: 'dedicated', operator: 'Equal', value: 'edge', effect: 'NoRun' },
          { operator: 'Equal', value: 'x' },
        ];
      }),
      [
        'spec.tolerations[0].operator: Unsupported value: "Like": supported values: "Equal", "Exists"',
        'spec.tolerations[1].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        'spec.tolerations[2].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ],
    );
  });

  it('requires a non-negative terminationGracePeriodSeconds', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.terminationGracePeriodSeconds = -5;
      }),
      ['spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0'],
    );
  });

  it('lets only init containers set restartPolicy, and only to Always', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.containers[0].restartPolicy = 'Always';
        p.spec.initContainers = [{ ...aContainer('init'), restartPolicy: 'Never' }];
      }),
      [
        'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
        'spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"',
      ],
    );
  });

  it('reports a spec of the wrong shape without throwing', () => {
    assert.deepEqual(
      podErrors((p) => {
        p.spec.containers = 'nginx';
      }),
      ['spec.containers: Invalid value: "nginx": must be an array'],
    );
  });
});
