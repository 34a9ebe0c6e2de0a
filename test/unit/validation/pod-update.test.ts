import assert from 'node:assert/strict';
import { validateStatusUpdate, validateUpdate } from '../../../api/validation/index.js';
import { podUpdateMessage } from '../../../api/validation/pod-update.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import { aPod, defaulted, summarize, type TestObject } from '../../helpers/builders.js';

function storedPod(): TestObject {
  const pod = defaulted('Pod', aPod());
  pod.metadata.uid = 'pod-uid';
  return pod;
}

function updateErrors(change: (pod: TestObject) => void, old = storedPod()): string[] {
  const next = structuredClone(old);
  change(next);
  return summarize(validateUpdate(validationOf('Pod'), next, old));
}

describe('Pod update validation', () => {
  it('allows changing a container image', () => {
    assert.deepEqual(
      updateErrors((p) => {
        p.spec.containers[0].image = 'nginx:1.28';
      }),
      [],
    );
  });

  it('forbids changing other spec fields, naming what changed', () => {
    assert.deepEqual(
      updateErrors((p) => {
        p.spec.restartPolicy = 'Never';
      }),
      [`spec: Forbidden: ${podUpdateMessage}\nchanged: spec.restartPolicy`],
    );
  });

  it('starts the forbidden message the way kube-apiserver does', () => {
    assert.ok(
      podUpdateMessage.startsWith('pod updates may not change fields other than `spec.containers[*].image`'),
    );
  });

  it('forbids adding or removing containers', () => {
    assert.deepEqual(
      updateErrors((p) => {
        p.spec.containers.push({ name: 'b', image: 'busybox' });
      }),
      ['spec.containers: Forbidden: pod updates may not add or remove containers'],
    );
  });

  it('allows adding tolerations but not changing existing ones', () => {
    const old = storedPod();
    old.spec.tolerations = [{ key: 'edge', operator: 'Exists', effect: 'NoSchedule' }];
    assert.deepEqual(
      updateErrors((p) => {
        p.spec.tolerations.push({ key: 'gpu', operator: 'Exists' });
      }, old),
      [],
    );
    assert.deepEqual(
      updateErrors((p) => {
        p.spec.tolerations[0].effect = 'NoExecute';
      }, old),
      ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds'],
    );
  });

  it('lets activeDeadlineSeconds be set or shortened but not lengthened', () => {
    const old = storedPod();
    old.spec.activeDeadlineSeconds = 100;
    assert.deepEqual(
      updateErrors((p) => {
        p.spec.activeDeadlineSeconds = 50;
      }, old),
      [],
    );
    assert.deepEqual(
      updateErrors((p) => {
        p.spec.activeDeadlineSeconds = 200;
      }, old),
      ['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value'],
    );
  });

  it('lets scheduling gates be removed but not added', () => {
    const old = storedPod();
    old.spec.schedulingGates = [{ name: 'example.com/wait' }];
    assert.deepEqual(
      updateErrors((p) => {
        p.spec.schedulingGates = [];
      }, old),
      [],
    );
    assert.deepEqual(
      updateErrors((p) => {
        p.spec.schedulingGates.push({ name: 'example.com/more' });
      }, old),
      [
        "spec.schedulingGates: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/more'",
      ],
    );
  });

  it('lets a negative grace period be corrected to 1 only', () => {
    const old = storedPod();
    old.spec.terminationGracePeriodSeconds = -1;
    assert.deepEqual(
      updateErrors((p) => {
        p.spec.terminationGracePeriodSeconds = 1;
      }, old),
      [],
    );
  });

  describe('status', () => {
    it('accepts a phase change', () => {
      const old = storedPod();
      const next = structuredClone(old);
      next.status.phase = 'Running';
      assert.deepEqual(validateStatusUpdate(validationOf('Pod'), next, old), []);
    });

    it('rejects an unknown phase and leaving a terminal phase', () => {
      const old = storedPod();
      const next = structuredClone(old);
      next.status.phase = 'Sleeping';
      assert.deepEqual(summarize(validateStatusUpdate(validationOf('Pod'), next, old)), [
        'status.phase: Unsupported value: "Sleeping": supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"',
      ]);
      old.status.phase = 'Succeeded';
      next.status.phase = 'Running';
      assert.deepEqual(summarize(validateStatusUpdate(validationOf('Pod'), next, old)), [
        'status.phase: Forbidden: may not be changed from terminal phase "Succeeded"',
      ]);
    });
  });
});
