// A Deployment with a full pod template, encoded with protobuf types parsed from
// fixtures/k8s-subset.proto (written from Kubernetes' generated.proto, independent of the
// hub's schemas) the way client-go's gogo-protobuf writes it: every plain field, zero or not,
// and pointer fields only when set. Decoding must give the JSON kubectl would have sent.
import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf } from '../../../../hub/apiserver/protobuf/decode-object.js';
import { independentBody } from './independent-types.js';

type Json = Record<string, any>;

const seconds = (s: number, nanos = 0) => ({ seconds: s, nanos });
const quantity = (value: string) => ({ string: value });
const intVal = (n: number) => ({ type: 0, intVal: n, strVal: '' });
const strVal = (s: string) => ({ type: 1, intVal: 0, strVal: s });
/** Probe timings as Go writes them: all five, zero or not. */
const timings = {
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
};

const webContainer = {
  name: 'web',
  image: 'nginx:1.27',
  command: [],
  args: ['-g', 'daemon off;'],
  workingDir: '',
  ports: [{ name: 'http', hostPort: 0, containerPort: 8080, protocol: 'TCP' }],
  env: [
    { name: 'MODE', value: 'prod' },
    { name: 'EMPTY', value: '' },
    {
      name: 'POD_NAME',
      value: '',
      valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
    },
    {
      name: 'MEM',
      value: '',
      valueFrom: {
        resourceFieldRef: { containerName: 'web', resource: 'limits.memory', divisor: quantity('1Mi') },
      },
    },
    {
      name: 'COLOR',
      value: '',
      valueFrom: {
        configMapKeyRef: { localObjectReference: { name: 'web-config' }, key: 'color', optional: false },
      },
    },
  ],
  resources: {
    limits: { cpu: quantity('500m'), memory: quantity('256Mi') },
    requests: { cpu: quantity('100m') },
  },
  volumeMounts: [
    { name: 'cache', readOnly: false, mountPath: '/cache', subPath: '' },
    { name: 'config', readOnly: true, mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf' },
  ],
  livenessProbe: {
    handler: {
      httpGet: {
        path: '/healthz',
        port: strVal('http'),
        host: '',
        scheme: 'HTTP',
        httpHeaders: [{ name: 'X-Probe', value: 'live' }],
      },
    },
    ...timings,
    initialDelaySeconds: 15,
    terminationGracePeriodSeconds: 0,
  },
  readinessProbe: { handler: { tcpSocket: { port: intVal(8080), host: '' } }, ...timings, periodSeconds: 5 },
  startupProbe: { handler: { exec: { command: ['cat', '/tmp/ready'] } }, ...timings, failureThreshold: 30 },
  lifecycle: { preStop: { sleep: { seconds: 5 } } },
  imagePullPolicy: 'IfNotPresent',
  securityContext: {
    capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
  },
};

const sidecar = {
  name: 'agent',
  image: 'agent:3',
  command: ['agent'],
  args: [],
  workingDir: '',
  ports: [],
  env: [],
  resources: {},
  volumeMounts: [],
  readinessProbe: { handler: { grpc: { port: 9000, service: '' } }, ...timings },
  imagePullPolicy: 'Always',
  restartPolicy: 'Always',
};

const deployment = {
  metadata: {
    name: 'web',
    generateName: '',
    namespace: 'shop',
    uid: '',
    generation: 0,
    creationTimestamp: seconds(1_700_000_000, 999),
    labels: { app: 'web', tier: 'front' },
    annotations: { 'kubernetes.io/change-cause': 'v2' },
  },
  spec: {
    replicas: 0,
    selector: {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }],
    },
    template: {
      metadata: {
        name: '',
        generateName: '',
        labels: { app: 'web', tier: 'front' },
        creationTimestamp: seconds(0),
      },
      spec: {
        volumes: [
          { name: 'cache', volumeSource: { emptyDir: { medium: 'Memory', sizeLimit: quantity('64Mi') } } },
          {
            name: 'config',
            volumeSource: {
              configMap: {
                localObjectReference: { name: 'web-config' },
                items: [{ key: 'nginx.conf', path: 'nginx.conf', mode: 0o644 }],
                defaultMode: 0o440,
              },
            },
          },
          {
            name: 'tls',
            volumeSource: { secret: { secretName: 'web-tls', items: [], defaultMode: 0, optional: false } },
          },
          {
            name: 'data',
            volumeSource: { persistentVolumeClaim: { claimName: 'web-data', readOnly: false } },
          },
        ],
        initContainers: [sidecar],
        containers: [webContainer],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        nodeSelector: { 'kubernetes.io/arch': 'arm64' },
        hostNetwork: false,
        securityContext: {
          runAsUser: 1000,
          runAsNonRoot: true,
          supplementalGroups: [2000, 3000],
          fsGroup: 0,
        },
        tolerations: [
          {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            value: '',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
        ],
        overhead: { cpu: quantity('10m') },
      },
    },
    strategy: {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: intVal(0), maxSurge: strVal('25%') },
    },
    minReadySeconds: 0,
    revisionHistoryLimit: 5,
    paused: false,
    progressDeadlineSeconds: 600,
  },
  status: {
    observedGeneration: 3,
    replicas: 2,
    updatedReplicas: 2,
    availableReplicas: 1,
    unavailableReplicas: 1,
    readyReplicas: 0,
    conditions: [
      {
        type: 'Available',
        status: 'False',
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
        lastUpdateTime: seconds(1_700_000_100),
        lastTransitionTime: seconds(1_700_000_050, 500),
      },
    ],
  },
};

describe('decoding a rich Deployment encoded independently of the hub', () => {
  let decoded: Json;
  let spec: Json;
  let pod: Json;
  let web: Json;
  before(() => {
    decoded = decodeKubernetesProtobuf(
      independentBody('apps/v1', 'Deployment', 'Deployment', deployment),
    ) as Json;
    spec = decoded.spec;
    pod = spec.template.spec;
    web = pod.containers[0];
  });

  it('takes apiVersion and kind from the envelope, and drops zero plain fields from metadata', () => {
    assert.deepEqual(Object.keys(decoded), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    assert.equal(decoded.apiVersion, 'apps/v1');
    assert.equal(decoded.kind, 'Deployment');
    assert.deepEqual(decoded.metadata, {
      name: 'web',
      namespace: 'shop',
      creationTimestamp: '2023-11-14T22:13:20Z',
      labels: { app: 'web', tier: 'front' },
      annotations: { 'kubernetes.io/change-cause': 'v2' },
    });
  });

  it('keeps the pointer zeros of the spec (replicas 0) and drops the plain ones (minReadySeconds, paused)', () => {
    assert.deepEqual(Object.keys(spec).sort(), [
      'progressDeadlineSeconds',
      'replicas',
      'revisionHistoryLimit',
      'selector',
      'strategy',
      'template',
    ]);
    assert.equal(spec.replicas, 0);
    assert.equal(spec.revisionHistoryLimit, 5);
    assert.equal(spec.progressDeadlineSeconds, 600);
    assert.deepEqual(spec.selector, {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }],
    });
  });

  it('turns int-or-string values into numbers or strings, keeping a pointer zero', () => {
    assert.deepEqual(spec.strategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' },
    });
    assert.equal(web.livenessProbe.httpGet.port, 'http');
    assert.deepEqual(web.readinessProbe.tcpSocket, { port: 8080 });
  });

  it('writes the template metadata without its zero creation time', () => {
    assert.deepEqual(spec.template.metadata, { labels: { app: 'web', tier: 'front' } });
  });

  it('lifts volume sources into their volumes, keeping pointer zeros and quantities', () => {
    assert.deepEqual(pod.volumes, [
      { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      {
        name: 'config',
        configMap: {
          name: 'web-config',
          items: [{ key: 'nginx.conf', path: 'nginx.conf', mode: 420 }],
          defaultMode: 288,
        },
      },
      { name: 'tls', secret: { secretName: 'web-tls', defaultMode: 0, optional: false } },
      { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
    ]);
  });

  it('decodes pod-level settings: policies, node selector, security context, tolerations, overhead', () => {
    assert.equal(pod.restartPolicy, 'Always');
    assert.equal(pod.terminationGracePeriodSeconds, 30);
    assert.equal(pod.dnsPolicy, 'ClusterFirst');
    assert.equal(pod.hostNetwork, undefined, 'a plain false is left out');
    assert.deepEqual(pod.nodeSelector, { 'kubernetes.io/arch': 'arm64' });
    assert.deepEqual(pod.securityContext, {
      runAsUser: 1000,
      runAsNonRoot: true,
      supplementalGroups: [2000, 3000],
      fsGroup: 0,
    });
    assert.deepEqual(pod.tolerations, [
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
    assert.deepEqual(pod.overhead, { cpu: '10m' });
  });

  it('decodes the container: image, arguments, ports, environment and its sources', () => {
    assert.deepEqual([web.name, web.image, web.imagePullPolicy], ['web', 'nginx:1.27', 'IfNotPresent']);
    assert.equal(web.command, undefined, 'an empty list is left out');
    assert.deepEqual(web.args, ['-g', 'daemon off;']);
    assert.deepEqual(web.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(web.env, [
      { name: 'MODE', value: 'prod' },
      { name: 'EMPTY' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      {
        name: 'MEM',
        valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.memory', divisor: '1Mi' } },
      },
      {
        name: 'COLOR',
        valueFrom: { configMapKeyRef: { name: 'web-config', key: 'color', optional: false } },
      },
    ]);
  });

  it('decodes resources as quantity strings and volume mounts', () => {
    assert.deepEqual(web.resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m' } });
    assert.deepEqual(web.volumeMounts, [
      { name: 'cache', mountPath: '/cache' },
      { name: 'config', readOnly: true, mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf' },
    ]);
  });

  it('decodes the three probes with their handlers lifted, and a gRPC probe in the sidecar', () => {
    assert.deepEqual(web.livenessProbe, {
      httpGet: {
        path: '/healthz',
        port: 'http',
        scheme: 'HTTP',
        httpHeaders: [{ name: 'X-Probe', value: 'live' }],
      },
      initialDelaySeconds: 15,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
      terminationGracePeriodSeconds: 0,
    });
    assert.deepEqual(web.readinessProbe, {
      tcpSocket: { port: 8080 },
      timeoutSeconds: 1,
      periodSeconds: 5,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.deepEqual(web.startupProbe.exec, { command: ['cat', '/tmp/ready'] });
    assert.equal(web.startupProbe.failureThreshold, 30);
    const [agent] = pod.initContainers;
    assert.deepEqual(agent.readinessProbe.grpc, { port: 9000, service: '' });
    assert.equal(agent.restartPolicy, 'Always');
    assert.deepEqual(agent.resources, {}, 'a struct is kept even when empty');
  });

  it('decodes the lifecycle hook and the security context', () => {
    assert.deepEqual(web.lifecycle, { preStop: { sleep: { seconds: 5 } } });
    assert.deepEqual(web.securityContext, {
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
    });
  });

  it('decodes the status with its conditions and their times in whole seconds', () => {
    assert.deepEqual(decoded.status, {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: 1,
      unavailableReplicas: 1,
      conditions: [
        {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
          lastUpdateTime: '2023-11-14T22:15:00Z',
          lastTransitionTime: '2023-11-14T22:14:10Z',
        },
      ],
    });
  });
});
