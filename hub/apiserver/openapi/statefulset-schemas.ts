// apps/v1 StatefulSet. volumeClaimTemplates has no merge key in Kubernetes (replaced whole).
import { condition, counters } from './apps-schemas.js';
import {
  apiSchemaName,
  coreName,
  int32,
  intOrString,
  kindSchema,
  listKindSchema,
  listOf,
  mergeList,
  metaName,
  object,
  ref,
  type SchemaTable,
  str,
} from './schema-builders.js';

const gvk = { group: 'apps', version: 'v1', kind: 'StatefulSet' };
const appsName = (kind: string) => apiSchemaName('apps', 'v1', kind);

export const statefulSetSchemas: SchemaTable = {
  [appsName('StatefulSet')]: kindSchema(
    gvk,
    { spec: ref(appsName('StatefulSetSpec')), status: ref(appsName('StatefulSetStatus')) },
    'Pods with stable names and their own storage, started and updated in order.',
  ),
  [appsName('StatefulSetList')]: listKindSchema(gvk),
  [appsName('StatefulSetSpec')]: object(
    {
      minReadySeconds: int32('Seconds a pod must be ready to count as available.'),
      ordinals: object(
        { start: int32('Number of the first pod (default 0).') },
        { description: 'Where pod numbering starts.' },
      ),
      persistentVolumeClaimRetentionPolicy: object(
        {
          whenDeleted: str('Retain (default) or Delete the claims when the StatefulSet is deleted.'),
          whenScaled: str('Retain (default) or Delete the claims of pods removed by scaling down.'),
        },
        { description: 'Whether the claims made from volumeClaimTemplates outlive their pods.' },
      ),
      podManagementPolicy: str(
        'OrderedReady (default: one pod at a time, in order) or Parallel (all at once).',
      ),
      replicas: int32('Number of pods, named <name>-0 up to <name>-<replicas-1>. Defaults to 1.'),
      revisionHistoryLimit: int32('Old revisions kept (default 10).'),
      selector: ref(
        metaName('LabelSelector'),
        "Label selector for pods. It must match the template's labels.",
      ),
      serviceName: str('Headless Service giving each pod the DNS name <pod>.<serviceName>.'),
      template: ref(coreName('PodTemplateSpec'), 'What each pod looks like.'),
      updateStrategy: object(
        {
          rollingUpdate: object({
            maxUnavailable: intOrString('Pods that may be down at once during an update (default 1).'),
            partition: int32('Only pods numbered at least this are updated (default 0).'),
          }),
          type: str('RollingUpdate (default: highest number first) or OnDelete.'),
        },
        { description: 'How pods are replaced when the template changes.' },
      ),
      volumeClaimTemplates: listOf(
        ref(coreName('PersistentVolumeClaim')),
        'Claims made for each pod, named <template>-<pod>, and mounted as the volume of the same name.',
      ),
    },
    { required: ['selector', 'template'] },
  ),
  [appsName('StatefulSetStatus')]: object(
    {
      ...counters([
        'availableReplicas',
        'collisionCount',
        'currentReplicas',
        'observedGeneration',
        'readyReplicas',
        'replicas',
        'updatedReplicas',
      ]),
      conditions: mergeList(ref(appsName('StatefulSetCondition')), 'type'),
      currentRevision: str('Revision of the pods numbered below currentReplicas.'),
      updateRevision: str('Revision of the current template.'),
    },
    { required: ['replicas'] },
  ),
  [appsName('StatefulSetCondition')]: condition(false),
};
