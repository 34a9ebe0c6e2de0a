import assert from 'node:assert/strict';
import { validateCreate, validateUpdate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import {
  aDaemonSet,
  aDeployment,
  aReplicaSet,
  defaulted,
  summarize,
  type TestObject,
} from '../../helpers/builders.js';

function errorsOf(kind: string, obj: TestObject, change: (obj: TestObject) => void): string[] {
  change(obj);
  return summarize(validateCreate(validationOf(kind), defaulted(kind, obj)));
}

describe('Deployment validation', () => {
  const deploymentErrors = (change: (d: TestObject) => void) => errorsOf('Deployment', aDeployment(), change);

  it('accepts a valid deployment', () => {
    assert.deepEqual(
      deploymentErrors(() => {}),
      [],
    );
  });

  it('requires a selector', () => {
    assert.deepEqual(
      deploymentErrors((d) => {
        delete d.spec.selector;
      }),
      ['spec.selector: Required value'],
    );
  });

  it('requires the selector to match the template labels', () => {
    assert.deepEqual(
      deploymentErrors((d) => {
        d.spec.template.metadata.labels = { app: 'api' };
      }),
      [
        'spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
      ],
    );
  });

  it('rejects an empty selector', () => {
    assert.deepEqual(
      deploymentErrors((d) => {
        d.spec.selector = {};
      }),
      ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
    );
  });

  it('checks selector expressions', () => {
    assert.deepEqual(
      deploymentErrors((d) => {
        d.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Near', values: ['web'] }] };
      }),
      [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      ],
    );
  });

  it('requires non-negative replicas', () => {
    assert.deepEqual(
      deploymentErrors((d) => {
        d.spec.replicas = -1;
      }),
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    );
  });

  it('validates the template as a pod spec under spec.template.spec', () => {
    assert.deepEqual(
      deploymentErrors((d) => {
        d.spec.template.spec.containers[0].name = '';
      }),
      ['spec.template.spec.containers[0].name: Required value'],
    );
  });

  it('requires restartPolicy Always in the template', () => {
    assert.deepEqual(
      deploymentErrors((d) => {
        d.spec.template.spec.restartPolicy = 'OnFailure';
      }),
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    );
  });

  it('checks the strategy type and rolling update parameters', () => {
    assert.deepEqual(
      deploymentErrors((d) => {
        d.spec.strategy = { type: 'BlueGreen' };
      }),
      ['spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"'],
    );
    assert.deepEqual(
      deploymentErrors((d) => {
        d.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } };
      }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
    );
    assert.deepEqual(
      deploymentErrors((d) => {
        d.spec.strategy = { rollingUpdate: { maxSurge: 'half' } };
      }),
      [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"half\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ],
    );
    assert.deepEqual(
      deploymentErrors((d) => {
        d.spec.strategy = { rollingUpdate: { maxUnavailable: '150%' } };
      }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
    );
  });

  it('keeps the selector immutable on update', () => {
    const old = defaulted('Deployment', aDeployment());
    const next = structuredClone(old);
    next.spec.selector = { matchLabels: { app: 'web', tier: 'front' } };
    next.spec.template.metadata.labels = { app: 'web', tier: 'front' };
    assert.deepEqual(summarize(validateUpdate(validationOf('Deployment'), next, old)), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"front"}}: field is immutable',
    ]);
  });

  it('is defaulted like apps/v1', () => {
    const d = aDeployment();
    delete d.spec.replicas;
    defaulted('Deployment', d);
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.equal(d.spec.template.spec.restartPolicy, 'Always');
    assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    // apps/v1 does not copy template labels to the object.
    assert.equal(d.metadata.labels, undefined);
  });
});

describe('ReplicaSet validation', () => {
  it('accepts a valid replica set and defaults replicas to 1', () => {
    const rs = aReplicaSet();
    delete rs.spec.replicas;
    assert.deepEqual(validateCreate(validationOf('ReplicaSet'), defaulted('ReplicaSet', rs)), []);
    assert.equal(rs.spec.replicas, 1);
  });

  it('requires the selector to match the template', () => {
    assert.deepEqual(
      errorsOf('ReplicaSet', aReplicaSet(), (rs) => {
        rs.spec.selector.matchLabels.app = 'api';
      }),
      [
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      ],
    );
  });

  it('forbids activeDeadlineSeconds in the template', () => {
    assert.deepEqual(
      errorsOf('ReplicaSet', aReplicaSet(), (rs) => {
        rs.spec.template.spec.activeDeadlineSeconds = 5;
      }),
      [
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
      ],
    );
  });
});

describe('DaemonSet validation', () => {
  it('accepts a valid daemon set', () => {
    assert.deepEqual(
      errorsOf('DaemonSet', aDaemonSet(), () => {}),
      [],
    );
  });

  it('requires restartPolicy Always in the template', () => {
    assert.deepEqual(
      errorsOf('DaemonSet', aDaemonSet(), (ds) => {
        ds.spec.template.spec.restartPolicy = 'Never';
      }),
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    );
  });

  it('checks the update strategy', () => {
    assert.deepEqual(
      errorsOf('DaemonSet', aDaemonSet(), (ds) => {
        ds.spec.updateStrategy = { type: 'Recreate' };
      }),
      [
        'spec.updateStrategy.type: Unsupported value: "Recreate": supported values: "RollingUpdate", "OnDelete"',
      ],
    );
    assert.deepEqual(
      errorsOf('DaemonSet', aDaemonSet(), (ds) => {
        ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } };
      }),
      [
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero',
      ],
    );
    assert.deepEqual(
      errorsOf('DaemonSet', aDaemonSet(), (ds) => {
        ds.spec.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } };
      }),
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    );
  });

  it('is defaulted with a one-at-a-time rolling update', () => {
    const ds = defaulted('DaemonSet', aDaemonSet());
    assert.deepEqual(ds.spec.updateStrategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    assert.equal(ds.spec.revisionHistoryLimit, 10);
    assert.equal(ds.spec.template.spec.dnsPolicy, 'ClusterFirst');
  });

  it('keeps the selector immutable on update', () => {
    const old = defaulted('DaemonSet', aDaemonSet());
    const next = structuredClone(old);
    next.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Exists' }] };
    assert.equal(validateUpdate(validationOf('DaemonSet'), next, old)[0]?.field, 'spec.selector');
  });
});
