import assert from 'node:assert/strict';
import { validateCreate, validateUpdate } from '../../../api/validation/index.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import {
  anIngress,
  aReplicationController,
  aStatefulSet,
  defaulted,
  summarize,
  type TestObject,
} from '../../helpers/builders.js';

function errorsOf(kind: string, obj: TestObject, change: (obj: TestObject) => void): string[] {
  change(obj);
  return summarize(validateCreate(validationOf(kind), defaulted(kind, obj)));
}

describe('StatefulSet validation', () => {
  const stsErrors = (change: (s: TestObject) => void) => errorsOf('StatefulSet', aStatefulSet(), change);

  it('accepts a set whose containers mount its claim template, and defaults it as apps/v1 does', () => {
    const sts = defaulted('StatefulSet', aStatefulSet());
    assert.deepEqual(summarize(validateCreate(validationOf('StatefulSet'), sts)), []);
    assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(sts.spec.updateStrategy, {
      type: 'RollingUpdate',
      rollingUpdate: { partition: 0, maxUnavailable: 1 },
    });
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, {
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
    });
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
  });

  it('names a bad pod management policy and update strategy', () => {
    assert.deepEqual(
      stsErrors((s) => {
        s.spec.podManagementPolicy = 'Random';
        s.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } };
      }),
      [
        "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
        'spec.updateStrategy.rollingUpdate: Invalid value: {"partition":1}: only allowed for updateStrategy \'RollingUpdate\'',
      ],
    );
  });

  it('refuses a negative partition and a claim template without storage', () => {
    assert.deepEqual(
      stsErrors((s) => {
        s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } };
        delete s.spec.volumeClaimTemplates[0].spec.resources;
      }),
      [
        'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
        'spec.volumeClaimTemplates[0].spec.resources[storage]: Required value',
      ],
    );
  });

  it('refuses a mount of a volume that neither the template nor a claim template declares', () => {
    assert.deepEqual(
      stsErrors((s) => {
        s.spec.template.spec.containers[0].volumeMounts = [{ name: 'logs', mountPath: '/logs' }];
      }),
      ['spec.template.spec.containers[0].volumeMounts[0].name: Not found: "logs"'],
    );
  });

  it('lets an update change replicas and the template, not the service name', () => {
    const old = defaulted('StatefulSet', aStatefulSet());
    const next = structuredClone(old);
    next.spec.replicas = 5;
    next.spec.template.spec.containers[0].image = 'nginx:1.28';
    assert.deepEqual(summarize(validateUpdate(validationOf('StatefulSet'), next, old)), []);
    next.spec.serviceName = 'other';
    assert.deepEqual(summarize(validateUpdate(validationOf('StatefulSet'), next, old)), [
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
});

describe('ReplicationController validation', () => {
  const rcErrors = (change: (rc: TestObject) => void) =>
    errorsOf('ReplicationController', aReplicationController(), change);

  it('takes an empty selector and labels from the template, as core/v1 defaulting does', () => {
    const rc = aReplicationController();
    delete rc.spec.selector;
    defaulted('ReplicationController', rc);
    assert.deepEqual(rc.spec.selector, { app: 'web' });
    assert.deepEqual(rc.metadata.labels, { app: 'web' });
    assert.deepEqual(summarize(validateCreate(validationOf('ReplicationController'), rc)), []);
  });

  it('requires the selector to match the template labels', () => {
    assert.deepEqual(
      rcErrors((rc) => {
        rc.spec.selector = { app: 'api' };
      }),
      [
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      ],
    );
  });

  it('refuses negative replicas and a template restart policy other than Always', () => {
    assert.deepEqual(
      rcErrors((rc) => {
        rc.spec.replicas = -1;
        rc.spec.template.spec.restartPolicy = 'Never';
      }),
      [
        'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      ],
    );
  });
});

describe('Ingress validation', () => {
  const ingErrors = (change: (ing: TestObject) => void) => errorsOf('Ingress', anIngress(), change);

  it('accepts a host rule with a Prefix path to a Service port', () => {
    assert.deepEqual(
      ingErrors(() => {}),
      [],
    );
  });

  it('needs rules or a default backend', () => {
    assert.deepEqual(
      ingErrors((ing) => {
        delete ing.spec.rules;
      }),
      ['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified'],
    );
  });

  it('names the path, path type, backend and host that are wrong', () => {
    assert.deepEqual(
      ingErrors((ing) => {
        ing.spec.rules[0].host = '10.0.0.1';
        const path = ing.spec.rules[0].http.paths[0];
        path.path = 'api';
        path.pathType = 'Regex';
        path.backend = { service: { name: 'web', port: {} } };
      }),
      [
        'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
        'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
        'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
        'spec.rules[0].http.paths[0].backend.service.port: Required value: port name or number is required',
      ],
    );
  });

  it('refuses a backend with both a service and a resource', () => {
    assert.deepEqual(
      ingErrors((ing) => {
        ing.spec.defaultBackend = {
          service: { name: 'web', port: { number: 80 } },
          resource: { kind: 'Bucket', name: 'static' },
        };
      }),
      ['spec.defaultBackend: Invalid value: "": cannot set both resource and service backends'],
    );
  });
});
