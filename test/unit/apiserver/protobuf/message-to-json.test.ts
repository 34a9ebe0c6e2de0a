// The rules that turn gogo-protobuf's "write every non-pointer field" output into the JSON
// Go would have sent, on messages encoded here with the hub's own message types (built from the
// schemas); rich-deployment.test.ts encodes with types independent of them.
import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf } from '../../../../hub/apiserver/protobuf/decode-object.js';
import { protobufBody } from './protobuf-envelope.js';

type Json = Record<string, any>;
const roundTrip = (apiVersion: string, kind: string, fields: object) =>
  decodeKubernetesProtobuf(protobufBody(apiVersion, kind, fields)) as Json;

const template = {
  metadata: { labels: { app: 'a' } },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: {} }] },
};

describe('protobuf messages as Kubernetes JSON', () => {
  it('keeps a zero that a Go pointer field carries, and drops one a plain field carries', () => {
    const deployment = roundTrip('apps/v1', 'Deployment', {
      metadata: { name: 'd', generateName: '', generation: 0 },
      spec: { replicas: 0, minReadySeconds: 0, paused: false, revisionHistoryLimit: 0, template },
    });
    assert.deepEqual(deployment.metadata, { name: 'd' });
    assert.deepEqual(Object.keys(deployment.spec).sort(), ['replicas', 'revisionHistoryLimit', 'template']);
    assert.equal(deployment.spec.replicas, 0);
  });

  it('writes times as RFC 3339 in UTC and leaves the zero time out', () => {
    const pod = roundTrip('v1', 'Pod', {
      metadata: {
        name: 'p',
        creationTimestamp: { seconds: 1_700_000_000, nanos: 5 },
        deletionTimestamp: {},
        deletionGracePeriodSeconds: 0,
      },
    });
    assert.deepEqual(pod.metadata, {
      name: 'p',
      creationTimestamp: '2023-11-14T22:13:20Z',
      deletionGracePeriodSeconds: 0,
    });
  });

  it('turns int-or-string values into numbers or strings, keeping a pointer zero', () => {
    const deployment = roundTrip('apps/v1', 'Deployment', {
      metadata: { name: 'd' },
      spec: {
        template,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: { type: 0, intVal: 0 }, maxSurge: { type: 1, strVal: '50%' } },
        },
      },
    });
    assert.deepEqual(deployment.spec.strategy.rollingUpdate, { maxUnavailable: 0, maxSurge: '50%' });
    const service = roundTrip('v1', 'Service', {
      metadata: { name: 's' },
      spec: { ports: [{ port: 80, targetPort: { type: 0, intVal: 0 } }], clusterIP: 'None' },
    });
    assert.deepEqual(service.spec.ports, [{ port: 80 }], 'a plain zero target port is left for defaulting');
  });

  it('decodes a daemon set with its update strategy and a host-path pod', () => {
    const daemonSet = roundTrip('apps/v1', 'DaemonSet', {
      metadata: { name: 'agent', namespace: 'kube-system' },
      spec: {
        selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['agent'] }] },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: {
            hostNetwork: true,
            containers: [
              { name: 'agent', image: 'agent:1', volumeMounts: [{ name: 'run', mountPath: '/run' }] },
            ],
            volumes: [{ name: 'run', volumeSource: { hostPath: { path: '/run', type: 'Directory' } } }],
          },
        },
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: { type: 1, strVal: '10%' } },
        },
      },
    });
    assert.deepEqual(daemonSet.spec.selector, {
      matchExpressions: [{ key: 'app', operator: 'In', values: ['agent'] }],
    });
    assert.deepEqual(daemonSet.spec.template.spec.volumes, [
      { name: 'run', hostPath: { path: '/run', type: 'Directory' } },
    ]);
    assert.equal(daemonSet.spec.template.spec.hostNetwork, true);
    assert.deepEqual(daemonSet.spec.updateStrategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '10%' },
    });
  });

  it('decodes a replica set and its status counters', () => {
    const replicaSet = roundTrip('apps/v1', 'ReplicaSet', {
      metadata: {
        name: 'web-abc',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u1', controller: true },
        ],
      },
      spec: { replicas: 2, selector: { matchLabels: { app: 'a' } }, template },
      status: { replicas: 2, readyReplicas: 1, observedGeneration: 3 },
    });
    assert.equal(replicaSet.spec.replicas, 2);
    assert.deepEqual(replicaSet.status, { replicas: 2, readyReplicas: 1, observedGeneration: 3 });
    assert.equal(replicaSet.metadata.ownerReferences[0].controller, true);
  });

  it('lifts embedded structs: probe handlers, key selectors and ephemeral containers', () => {
    const pod = roundTrip('v1', 'Pod', {
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'c',
            livenessProbe: { handler: { exec: { command: ['true'] } }, periodSeconds: 5 },
            env: [
              { name: 'K', valueFrom: { secretKeyRef: { localObjectReference: { name: 's' }, key: 'k' } } },
            ],
          },
        ],
        ephemeralContainers: [
          { ephemeralContainerCommon: { name: 'debug', image: 'busybox' }, targetContainerName: 'c' },
        ],
      },
    });
    const [container] = pod.spec.containers;
    assert.deepEqual(container.livenessProbe, { exec: { command: ['true'] }, periodSeconds: 5 });
    assert.deepEqual(container.env[0].valueFrom, { secretKeyRef: { name: 's', key: 'k' } });
    assert.deepEqual(pod.spec.ephemeralContainers, [
      { name: 'debug', image: 'busybox', targetContainerName: 'c' },
    ]);
  });

  it('keeps quantities as their strings, in limits and in overhead', () => {
    const pod = roundTrip('v1', 'Pod', {
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'c', resources: { limits: { cpu: { string: '1' }, memory: { string: '1Gi' } } } },
        ],
        overhead: { cpu: { string: '10m' } },
      },
    });
    assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '1', memory: '1Gi' } });
    assert.deepEqual(pod.spec.overhead, { cpu: '10m' });
  });

  it('decodes a cron job with its policy fields and a job status with times', () => {
    const cronJob = roundTrip('batch/v1', 'CronJob', {
      metadata: { name: 'c' },
      spec: {
        schedule: '@hourly',
        timeZone: 'Etc/UTC',
        suspend: false,
        concurrencyPolicy: '',
        jobTemplate: {
          spec: {
            template,
            podFailurePolicy: {
              rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [42] } }],
            },
          },
        },
      },
    });
    assert.deepEqual(cronJob.spec.suspend, false);
    assert.equal(cronJob.spec.concurrencyPolicy, undefined);
    assert.deepEqual(cronJob.spec.jobTemplate.spec.podFailurePolicy, {
      rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [42] } }],
    });
    const job = roundTrip('batch/v1', 'Job', {
      metadata: { name: 'j' },
      spec: { template },
      status: { startTime: { seconds: 0, nanos: 0 }, completionTime: { seconds: 86_400 }, succeeded: 1 },
    });
    assert.deepEqual(job.status, { completionTime: '1970-01-02T00:00:00Z', succeeded: 1 });
  });
});
