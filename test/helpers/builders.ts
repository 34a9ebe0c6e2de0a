// Builders for valid API objects of every kind the hub serves. Each call returns a fresh
// object that passes validation as is; tests change one field and look at the result.
import type { FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { kindNamed } from '../../hub/kinds/builtin-kinds.js';

/** Loosely typed so tests can reach into spec fields without casts. */
export type TestObject = KubeObject & { [field: string]: any };

/** `field: message` lines, the way kubectl prints a 422's causes. */
export function summarize(errors: FieldError[]): string[] {
  return errors.map((e) => `${e.field}: ${e.message}`);
}

/** Runs server-side defaulting, as the API server does before validating. */
export function defaulted<T extends KubeObject>(kind: string, obj: T): T {
  kindNamed(kind)?.default?.(obj);
  return obj;
}

export function aContainer(name = 'app', image = 'nginx:1.27'): Record<string, any> {
  return { name, image };
}

/** `null` for cluster-scoped kinds (an `undefined` argument would pick the default). */
function meta(name: string, namespace: string | null = 'default'): TestObject['metadata'] {
  return namespace === null ? { name } : { name, namespace };
}

export function aPod(name = 'web'): TestObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta(name), spec: { containers: [aContainer()] } };
}

function aTemplate(labels: Record<string, string> = { app: 'web' }): Record<string, any> {
  return { metadata: { labels }, spec: { containers: [aContainer()] } };
}

export function aDeployment(name = 'web'): TestObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: aTemplate() },
  };
}

export function aReplicaSet(name = 'web-5d8f'): TestObject {
  return { ...aDeployment(name), kind: 'ReplicaSet' };
}

export function aDaemonSet(name = 'agent'): TestObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(name),
    spec: { selector: { matchLabels: { app: 'web' } }, template: aTemplate() },
  };
}

/** A Job as the server sees it before defaulting: uid assigned, selector not yet generated. */
export function aJob(name = 'backup'): TestObject {
  const template = aTemplate({ app: 'backup' });
  template.spec.restartPolicy = 'Never';
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...meta(name), uid: 'job-uid-1' },
    spec: { template },
  };
}

export function aCronJob(name = 'nightly'): TestObject {
  const template = aTemplate({ app: 'nightly' });
  template.spec.restartPolicy = 'OnFailure';
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(name),
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template } } },
  };
}

export function aService(name = 'web'): TestObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

export function aConfigMap(name = 'settings'): TestObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name), data: { 'app.conf': 'debug=false' } };
}

export function aSecret(name = 'credentials'): TestObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta(name), data: { password: 'aHVudGVyMg==' } };
}

export function aServiceAccount(name = 'reader'): TestObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(name),
    automountServiceAccountToken: false,
  };
}

/** A site of the inventory with no pools or gateways of its own (so several never clash). */
export function aSite(name = 'plant-a'): TestObject {
  return {
    apiVersion: 'flotilla.io/v1alpha1',
    kind: 'Site',
    metadata: meta(name, null),
    spec: { region: 'eu-west', zone: 'hall-3', networks: ['172.30.5.0/24'] },
  };
}

export function aNamespace(name = 'team-a'): TestObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, null) };
}

export function aNode(name = 'gateway-1.site-a'): TestObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(name, null),
    spec: {},
    status: { capacity: { cpu: '4', memory: '2Gi', pods: '110' } },
  };
}

export function anEvent(name = 'web.17a3b'): TestObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta(name),
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    reason: 'Scheduled',
    message: 'assigned to gateway-1',
  };
}

export function aLease(name = 'gateway-1'): TestObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: meta(name, 'kube-node-lease'),
    spec: { holderIdentity: 'gateway-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' },
  };
}

/** A CRD named `<plural>.<group>`, as its name must be; one version with a small schema. */
export function aCustomResourceDefinition(name = 'widgets.example.com'): TestObject {
  const [plural = 'widgets', ...group] = name.split('.');
  const kind = plural.charAt(0).toUpperCase() + plural.slice(1, -1).replace(/[^a-zA-Z0-9]/g, '');
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: group.join('.'),
      scope: 'Namespaced',
      names: { plural, kind: kind || 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 0 } } } },
            },
          },
        },
      ],
    },
  };
}

export function anEndpoints(name = 'web'): TestObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta(name),
    subsets: [{ addresses: [{ ip: '10.42.0.5', nodeName: 'gateway-1' }], ports: [{ port: 8080 }] }],
  };
}

export function anEndpointSlice(name = 'web-abc12'): TestObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta(name),
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

export function aControllerRevision(name = 'agent-6b9c'): TestObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: meta(name),
    data: { spec: {} },
    revision: 1,
  };
}

export function aReplicationController(name = 'web-rc'): TestObject {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: meta(name),
    spec: { replicas: 2, selector: { app: 'web' }, template: aTemplate() },
  };
}

/** A claim template or claim spec asking for `size` of ReadWriteOnce storage. */
export function aClaimSpec(size = '1Gi', storageClassName = 'local'): Record<string, any> {
  return { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, storageClassName };
}

export function aStatefulSet(name = 'db'): TestObject {
  const template = aTemplate({ app: name });
  template.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }];
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta(name),
    spec: {
      replicas: 2,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template,
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: aClaimSpec() }],
    },
  };
}

export function aPersistentVolume(name = 'disk-1', size = '1Gi', storageClassName = 'local'): TestObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: meta(name, null),
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      hostPath: { path: `/srv/volumes/${name}` },
    },
  };
}

export function aPersistentVolumeClaim(name = 'data', size = '1Gi', storageClassName = 'local'): TestObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(name),
    spec: aClaimSpec(size, storageClassName),
  };
}

export function anIngress(name = 'web'): TestObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(name),
    spec: {
      rules: [
        {
          host: 'web.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
  };
}

/** A Role that lets its subjects read pods and their logs. */
export function aRole(name = 'pod-reader'): TestObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta(name),
    rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }],
  };
}

export function aClusterRole(name = 'node-reader'): TestObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta(name, null),
    rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }],
  };
}

export function aRoleBinding(name = 'read-pods'): TestObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(name),
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
  };
}

export function aClusterRoleBinding(name = 'read-nodes'): TestObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta(name, null),
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'operators' }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-reader' },
  };
}
