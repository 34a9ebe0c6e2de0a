// apps/v1 Deployment, ReplicaSet, DaemonSet and ControllerRevision. Deployment's
// strategy carries retainKeys, so switching type to Recreate drops rollingUpdate.
import { pointer } from './protobuf-fields.js';
import {
  apiSchemaName,
  bool,
  coreName,
  int32,
  int64,
  intOrString,
  kindSchema,
  listKindSchema,
  mergeList,
  metaName,
  object,
  ref,
  type Schema,
  type SchemaTable,
  str,
  time,
} from './schema-builders.js';

const gvk = (kind: string) => ({ group: 'apps', version: 'v1', kind });
const appsName = (kind: string) => apiSchemaName('apps', 'v1', kind);

const selector = ref(
  metaName('LabelSelector'),
  "Label selector for pods. It must match the pod template's labels.",
);
const template = ref(coreName('PodTemplateSpec'), 'Template describes the pods that will be created.');
const rollingUpdate = object(
  {
    maxSurge: intOrString(
      'The maximum number of pods that can be scheduled above the desired number of pods.',
    ),
    maxUnavailable: intOrString('The maximum number of pods that can be unavailable during the update.'),
  },
  { protobuf: { maxUnavailable: pointer(1), maxSurge: pointer(2) } },
);

function conditions(name: string): Schema {
  return mergeList(ref(appsName(name)), 'type', {
    description: 'Represents the latest available observations of its current state.',
  });
}

export const condition = (withUpdateTime: boolean): Schema =>
  object(
    {
      lastTransitionTime: time(),
      ...(withUpdateTime ? { lastUpdateTime: time() } : {}),
      message: str(),
      reason: str(),
      status: str(),
      type: str(),
    },
    {
      required: ['type', 'status'],
      protobuf: withUpdateTime
        ? { type: 1, status: 2, reason: 4, message: 5, lastUpdateTime: 6, lastTransitionTime: 7 }
        : { type: 1, status: 2, lastTransitionTime: 3, reason: 4, message: 5 },
    },
  );

export const counters = (names: string[]): Record<string, Schema> =>
  Object.fromEntries(names.map((name) => [name, name === 'observedGeneration' ? int64() : int32()]));

export const appsSchemas: SchemaTable = {
  [appsName('Deployment')]: kindSchema(
    gvk('Deployment'),
    { spec: ref(appsName('DeploymentSpec')), status: ref(appsName('DeploymentStatus')) },
    'Deployment enables declarative updates for Pods and ReplicaSets.',
    { spec: 2, status: 3 },
  ),
  [appsName('DeploymentList')]: listKindSchema(gvk('Deployment')),
  [appsName('DeploymentSpec')]: object(
    {
      minReadySeconds: int32(
        'Seconds a new pod must be ready, without a container crashing, to count as available.',
      ),
      paused: bool('Stop rolling out changes of the template until unpaused (kubectl rollout pause/resume).'),
      progressDeadlineSeconds: int32(
        'Seconds without progress after which the rollout is reported as failed (default 600).',
      ),
      replicas: int32('Number of desired pods. Defaults to 1.'),
      revisionHistoryLimit: int32('Old revisions kept for rollbacks (default 10).'),
      selector,
      strategy: {
        ...ref(
          appsName('DeploymentStrategy'),
          'The deployment strategy to use to replace existing pods with new ones.',
        ),
        'x-kubernetes-patch-strategy': 'retainKeys',
      },
      template,
    },
    {
      required: ['selector', 'template'],
      protobuf: {
        replicas: pointer(1),
        selector: pointer(2),
        template: 3,
        strategy: 4,
        minReadySeconds: 5,
        revisionHistoryLimit: pointer(6),
        paused: 7,
        progressDeadlineSeconds: pointer(9),
      },
    },
  ),
  [appsName('DeploymentStrategy')]: object(
    { rollingUpdate, type: str('Recreate or RollingUpdate.') },
    { protobuf: { type: 1, rollingUpdate: pointer(2) } },
  ),
  [appsName('DeploymentStatus')]: object(
    {
      ...counters([
        'availableReplicas',
        'collisionCount',
        'observedGeneration',
        'readyReplicas',
        'replicas',
        'terminatingReplicas',
        'unavailableReplicas',
        'updatedReplicas',
      ]),
      conditions: conditions('DeploymentCondition'),
    },
    {
      protobuf: {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 3,
        availableReplicas: 4,
        unavailableReplicas: 5,
        conditions: 6,
        readyReplicas: 7,
        collisionCount: pointer(8),
        terminatingReplicas: pointer(9),
      },
    },
  ),
  [appsName('DeploymentCondition')]: condition(true),
  [appsName('ReplicaSet')]: kindSchema(
    gvk('ReplicaSet'),
    { spec: ref(appsName('ReplicaSetSpec')), status: ref(appsName('ReplicaSetStatus')) },
    'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
    { spec: 2, status: 3 },
  ),
  [appsName('ReplicaSetList')]: listKindSchema(gvk('ReplicaSet')),
  [appsName('ReplicaSetSpec')]: object(
    { minReadySeconds: int32(), replicas: int32('Defaults to 1.'), selector, template },
    {
      required: ['selector'],
      protobuf: { replicas: pointer(1), selector: pointer(2), template: 3, minReadySeconds: 4 },
    },
  ),
  [appsName('ReplicaSetStatus')]: object(
    {
      ...counters([
        'availableReplicas',
        'fullyLabeledReplicas',
        'observedGeneration',
        'readyReplicas',
        'replicas',
        'terminatingReplicas',
      ]),
      conditions: conditions('ReplicaSetCondition'),
    },
    {
      required: ['replicas'],
      protobuf: {
        replicas: 1,
        fullyLabeledReplicas: 2,
        observedGeneration: 3,
        readyReplicas: 4,
        availableReplicas: 5,
        conditions: 6,
        terminatingReplicas: pointer(7),
      },
    },
  ),
  [appsName('ReplicaSetCondition')]: condition(false),
  [appsName('DaemonSet')]: kindSchema(
    gvk('DaemonSet'),
    { spec: ref(appsName('DaemonSetSpec')), status: ref(appsName('DaemonSetStatus')) },
    'DaemonSet represents the configuration of a daemon set.',
    { spec: 2, status: 3 },
  ),
  [appsName('DaemonSetList')]: listKindSchema(gvk('DaemonSet')),
  [appsName('DaemonSetSpec')]: object(
    {
      minReadySeconds: int32(
        'Seconds a new pod must be ready, without a container crashing, to count as available.',
      ),
      revisionHistoryLimit: int32('Old revisions kept for rollbacks (default 10).'),
      selector,
      template,
      updateStrategy: object(
        { rollingUpdate, type: str('RollingUpdate or OnDelete.') },
        {
          description: 'How pods are replaced when the template changes.',
          protobuf: { type: 1, rollingUpdate: pointer(2) },
        },
      ),
    },
    {
      required: ['selector', 'template'],
      protobuf: {
        selector: pointer(1),
        template: 2,
        updateStrategy: 3,
        minReadySeconds: 4,
        revisionHistoryLimit: pointer(6),
      },
    },
  ),
  [appsName('DaemonSetStatus')]: object(
    {
      ...counters([
        'collisionCount',
        'currentNumberScheduled',
        'desiredNumberScheduled',
        'numberAvailable',
        'numberMisscheduled',
        'numberReady',
        'numberUnavailable',
        'observedGeneration',
        'updatedNumberScheduled',
      ]),
      conditions: conditions('DaemonSetCondition'),
    },
    {
      required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
      protobuf: {
        currentNumberScheduled: 1,
        numberMisscheduled: 2,
        desiredNumberScheduled: 3,
        numberReady: 4,
        observedGeneration: 5,
        updatedNumberScheduled: 6,
        numberAvailable: 7,
        numberUnavailable: 8,
        collisionCount: pointer(9),
        conditions: 10,
      },
    },
  ),
  [appsName('DaemonSetCondition')]: condition(false),
  [appsName('ControllerRevision')]: {
    ...kindSchema(
      gvk('ControllerRevision'),
      {
        data: ref(
          'io.k8s.apimachinery.pkg.runtime.RawExtension',
          'Data is the serialized representation of the state.',
        ),
        revision: int64('Revision indicates the revision of the state represented by Data.'),
      },
      'ControllerRevision implements an immutable snapshot of state data.',
    ),
    required: ['revision'],
  },
  [appsName('ControllerRevisionList')]: listKindSchema(gvk('ControllerRevision')),
};
