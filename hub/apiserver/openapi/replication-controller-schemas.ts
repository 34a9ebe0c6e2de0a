// core/v1 ReplicationController: a ReplicaSet whose selector is a plain label map.
import { condition, counters } from './apps-schemas.js';
import {
  coreName,
  int32,
  kindSchema,
  listKindSchema,
  mergeList,
  object,
  ref,
  type SchemaTable,
  stringMap,
} from './schema-builders.js';

const gvk = { group: '', version: 'v1', kind: 'ReplicationController' };

export const replicationControllerSchemas: SchemaTable = {
  [coreName('ReplicationController')]: kindSchema(
    gvk,
    {
      spec: ref(coreName('ReplicationControllerSpec')),
      status: ref(coreName('ReplicationControllerStatus')),
    },
    'Keeps a number of identical pods running (the older form of ReplicaSet).',
  ),
  [coreName('ReplicationControllerList')]: listKindSchema(gvk),
  [coreName('ReplicationControllerSpec')]: object({
    minReadySeconds: int32('Seconds a pod must be ready to count as available.'),
    replicas: int32('Number of pods to keep. Defaults to 1.'),
    selector: stringMap(
      'Labels a pod must carry, all of them, to be counted; the template labels when empty.',
    ),
    template: ref(coreName('PodTemplateSpec'), 'What new pods look like.'),
  }),
  [coreName('ReplicationControllerStatus')]: object(
    {
      ...counters([
        'availableReplicas',
        'fullyLabeledReplicas',
        'observedGeneration',
        'readyReplicas',
        'replicas',
      ]),
      conditions: mergeList(ref(coreName('ReplicationControllerCondition')), 'type'),
    },
    { required: ['replicas'] },
  ),
  [coreName('ReplicationControllerCondition')]: condition(false),
};
