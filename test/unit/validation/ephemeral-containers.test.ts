import assert from 'node:assert/strict';
import { validateCreate, validateSubresourceUpdate, validateUpdate } from '../../../api/validation/index.js';
import { podUpdateMessage } from '../../../api/validation/pod-update.js';
import { validationOf } from '../../../hub/kinds/builtin-kinds.js';
import {
  aContainer,
  aDeployment,
  aPod,
  defaulted,
  summarize,
  type TestObject,
} from '../../helpers/builders.js';

function storedPod(): TestObject {
  const pod = defaulted('Pod', aPod());
  pod.metadata.uid = 'pod-uid';
  pod.spec.initContainers = [aContainer('setup', 'busybox:1.36')];
  defaulted('Pod', pod);
  return pod;
}

function aDebugger(name = 'dbg'): Record<string, any> {
  return { ...aContainer(name, 'busybox:1.36'), command: ['sh'], targetContainerName: 'app' };
}

/** What pods/ephemeralcontainers answers to `change` of a stored pod (after defaulting). */
function subresourceErrors(change: (pod: TestObject) => void, old = storedPod()): string[] {
  const next = structuredClone(old);
  change(next);
  defaulted('Pod', next);
  return summarize(validateSubresourceUpdate(validationOf('Pod'), 'ephemeralcontainers', next, old));
}

function withDebugger(): TestObject {
  const pod = storedPod();
  pod.spec.ephemeralContainers = [aDebugger()];
  return defaulted('Pod', pod);
}

describe('Ephemeral container validation', () => {
  it('accepts a debugging container targeting a container of the pod', () => {
    assert.deepEqual(
      subresourceErrors((p) => {
        p.spec.ephemeralContainers = [aDebugger()];
      }),
      [],
    );
  });

  it('accepts one more next to those already there', () => {
    assert.deepEqual(
      subresourceErrors((p) => {
        p.spec.ephemeralContainers.push(aDebugger('dbg2'));
      }, withDebugger()),
      [],
    );
  });

  it('refuses ports, probes, lifecycle and resources, naming each field', () => {
    assert.deepEqual(
      subresourceErrors((p) => {
        p.spec.ephemeralContainers = [
          {
            ...aDebugger(),
            ports: [{ containerPort: 80 }],
            readinessProbe: { exec: { command: ['true'] } },
            lifecycle: { preStop: { exec: { command: ['true'] } } },
            resources: { limits: { cpu: '1' } },
          },
        ];
      }),
      [
        'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container',
      ],
    );
  });

  it('accepts the empty resources kubectl debug sends', () => {
    assert.deepEqual(
      subresourceErrors((p) => {
        p.spec.ephemeralContainers = [{ ...aDebugger(), resources: {} }];
      }),
      [],
    );
  });

  it('refuses a volume mount with a sub-path', () => {
    assert.deepEqual(
      subresourceErrors((p) => {
        p.spec.volumes = [{ name: 'data', emptyDir: {} }];
        p.spec.ephemeralContainers = [
          { ...aDebugger(), volumeMounts: [{ name: 'data', mountPath: '/data', subPath: 'x' }] },
        ];
      }).filter((e) => e.startsWith('spec.ephemeralContainers')),
      [
        'spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container',
      ],
    );
  });

  it('wants names unique across containers, init containers and ephemeral containers', () => {
    assert.deepEqual(
      subresourceErrors((p) => {
        p.spec.ephemeralContainers = [
          aDebugger('app'),
          aDebugger('setup'),
          aDebugger('dbg'),
          aDebugger('dbg'),
        ];
      }),
      [
        'spec.ephemeralContainers[0].name: Duplicate value: "app"',
        'spec.ephemeralContainers[1].name: Duplicate value: "setup"',
        'spec.ephemeralContainers[3].name: Duplicate value: "dbg"',
      ],
    );
  });

  it('wants the target to be a container or init container of the pod', () => {
    assert.deepEqual(
      subresourceErrors((p) => {
        p.spec.ephemeralContainers = [
          { ...aDebugger('one'), targetContainerName: 'setup' },
          { ...aDebugger('two'), targetContainerName: 'one' },
          { ...aDebugger('three'), targetContainerName: 'nope' },
        ];
      }),
      [
        'spec.ephemeralContainers[1].targetContainerName: Not found: "one"',
        'spec.ephemeralContainers[2].targetContainerName: Not found: "nope"',
      ],
    );
  });

  it('refuses changing an existing ephemeral container', () => {
    assert.deepEqual(
      subresourceErrors((p) => {
        p.spec.ephemeralContainers[0].image = 'busybox:1.37';
      }, withDebugger()),
      [
        'spec.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be changed\n' +
          'changed: spec.ephemeralContainers["dbg"].image',
      ],
    );
  });

  it('refuses removing an existing ephemeral container', () => {
    assert.deepEqual(
      subresourceErrors((p) => {
        delete p.spec.ephemeralContainers;
      }, withDebugger()),
      ['spec.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be removed'],
    );
  });

  it('matches existing ones by name, so a reordered list is no change', () => {
    const old = withDebugger();
    old.spec.ephemeralContainers.push(aDebugger('b'));
    defaulted('Pod', old);
    assert.deepEqual(
      subresourceErrors((p) => {
        p.spec.ephemeralContainers.reverse();
      }, old),
      [],
    );
  });

  it('refuses them on create', () => {
    const pod = aPod();
    pod.spec.ephemeralContainers = [aDebugger()];
    assert.deepEqual(summarize(validateCreate(validationOf('Pod'), pod)), [
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ]);
  });

  it('refuses them in a pod template', () => {
    const deployment = aDeployment();
    deployment.spec.template.spec.ephemeralContainers = [aDebugger()];
    assert.deepEqual(summarize(validateCreate(validationOf('Deployment'), deployment)), [
      'spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template',
    ]);
  });

  it('refuses a normal pod update that adds or changes them', () => {
    const old = storedPod();
    const next = withDebugger();
    assert.deepEqual(summarize(validateUpdate(validationOf('Pod'), next, old)), [
      `spec: Forbidden: ${podUpdateMessage}\nchanged: spec.ephemeralContainers`,
    ]);
  });
});
