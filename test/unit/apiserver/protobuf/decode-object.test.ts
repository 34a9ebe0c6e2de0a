// Real request bodies captured from kubectl 1.32 (`kubectl create ...`), decoded into the
// objects the JSON path would have parsed.
import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf } from '../../../../hub/apiserver/protobuf/decode-object.js';
import { fixture } from './protobuf-envelope.js';

type Json = Record<string, any>;
const decode = (name: string) => decodeKubernetesProtobuf(fixture(name)) as Json;

describe('decoding Kubernetes protobuf request bodies', () => {
  it('decodes `kubectl create configmap` with literals, an empty value and a binary file', () => {
    assert.deepEqual(decode('configmap'), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config' },
      data: { greeting: 'hello', empty: '' },
      binaryData: { 'blob.bin': Buffer.from([0x00, 0x01, 0xff, 0xfe]).toString('base64') },
    });
  });

  it('decodes `kubectl create secret generic` with its data as base64', () => {
    const secret = decode('secret-generic');
    assert.equal(secret.kind, 'Secret');
    assert.deepEqual(secret.metadata, { name: 'db-creds' });
    assert.equal(Buffer.from(secret.data.username, 'base64').toString(), 'admin');
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 's3cr3t!');
  });

  it('decodes `kubectl create namespace`, leaving out the zero fields Go writes anyway', () => {
    // On the wire: generateName "", namespace "", uid "", generation 0, creationTimestamp {}.
    assert.deepEqual(decode('namespace'), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a' },
      spec: {},
      status: {},
    });
  });

  it('decodes `kubectl create deployment` with replicas, selector, template and port', () => {
    const deployment = decode('deployment');
    assert.equal(deployment.apiVersion, 'apps/v1');
    assert.equal(deployment.kind, 'Deployment');
    assert.deepEqual(deployment.metadata, { name: 'web', labels: { app: 'web' } });
    assert.equal(deployment.spec.replicas, 3);
    assert.deepEqual(deployment.spec.selector, { matchLabels: { app: 'web' } });
    assert.deepEqual(deployment.spec.template, {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: {} }],
      },
    });
    assert.deepEqual(deployment.spec.strategy, {});
  });

  it('decodes a deployment in another namespace with two containers', () => {
    const deployment = decode('deployment-multi');
    assert.equal(deployment.metadata.namespace, 'team-b');
    assert.equal(deployment.spec.replicas, 1);
    assert.deepEqual(
      deployment.spec.template.spec.containers.map((c: Json) => [c.name, c.image]),
      [
        ['nginx', 'nginx:1.25'],
        ['redis', 'redis:7'],
      ],
    );
  });

  it('decodes `kubectl create service nodeport` with a numeric target port and a node port', () => {
    const service = decode('service-nodeport');
    assert.deepEqual(service.metadata, { name: 'web', labels: { app: 'web' } });
    assert.deepEqual(service.spec, {
      ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
      selector: { app: 'web' },
      type: 'NodePort',
    });
    assert.deepEqual(service.status, { loadBalancer: {} });
  });

  it('decodes `kubectl create service clusterip` with a named target port', () => {
    const service = decode('service-clusterip');
    assert.equal(service.spec.type, 'ClusterIP');
    assert.deepEqual(service.spec.ports, [
      { name: '443-https', protocol: 'TCP', port: 443, targetPort: 'https' },
      { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
    ]);
  });

  it('decodes `kubectl create cronjob` and `kubectl create job`', () => {
    const cronJob = decode('cronjob');
    assert.equal(cronJob.apiVersion, 'batch/v1');
    assert.equal(cronJob.spec.schedule, '*/5 * * * *');
    assert.deepEqual(cronJob.spec.jobTemplate.metadata, { name: 'nightly' });
    assert.deepEqual(cronJob.spec.jobTemplate.spec.template.spec, {
      containers: [{ name: 'nightly', image: 'busybox:1.36', command: ['echo', 'hi'], resources: {} }],
      restartPolicy: 'OnFailure',
    });
    const job = decode('job');
    assert.equal(job.kind, 'Job');
    assert.deepEqual(job.spec.template.spec.containers[0].command, ['sh', '-c', 'echo done']);
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  });

  it('decodes a job created from a cron job, keeping pointer fields that are zero', () => {
    const job = decode('job-from-cronjob');
    assert.deepEqual(job.metadata.ownerReferences, [
      {
        kind: 'CronJob',
        name: 'rich',
        uid: '5ff581df-529e-493d-a496-8e884063011a',
        apiVersion: 'batch/v1',
        controller: true,
      },
    ]);
    assert.equal(job.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.equal(job.spec.backoffLimit, 0);
    assert.equal(job.spec.ttlSecondsAfterFinished, 0);
    assert.equal(job.spec.completionMode, 'NonIndexed');
    const pod = job.spec.template.spec;
    assert.equal(pod.terminationGracePeriodSeconds, 0);
    assert.equal(pod.priority, 0);
    assert.equal(pod.enableServiceLinks, false);
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.hostPID, undefined, 'hostPID is a plain bool: false is left out');
    assert.deepEqual(pod.securityContext.supplementalGroups, [3000, 4000]);
    assert.equal(pod.securityContext.runAsUser, 0);
    assert.equal(pod.securityContext.runAsNonRoot, false);
    assert.deepEqual(pod.tolerations[1], {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 0,
    });
    assert.deepEqual(pod.dnsConfig.options, [{ name: 'ndots', value: '2' }, { name: 'edns0' }]);
    assert.deepEqual(pod.initContainers[0].restartPolicy, 'Always');
  });

  it('decodes volumes, with their embedded sources lifted into the volume', () => {
    const volumes = decode('job-from-cronjob').spec.template.spec.volumes as Json[];
    const byName = Object.fromEntries(volumes.map(({ name, ...source }) => [name, source]));
    assert.deepEqual(byName.scratch, { emptyDir: {} });
    assert.deepEqual(byName.mem, { emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } });
    assert.deepEqual(byName.host, { hostPath: { path: '/var/log', type: '' } });
    assert.deepEqual(byName.cfg, {
      configMap: {
        name: 'app-config',
        items: [{ key: 'greeting', path: 'greeting.txt', mode: 256 }],
        defaultMode: 420,
        optional: true,
      },
    });
    assert.deepEqual(byName.sec, { secret: { secretName: 'db-creds', defaultMode: 0, optional: false } });
    assert.deepEqual(byName.claim, { persistentVolumeClaim: { claimName: 'data', readOnly: true } });
    assert.deepEqual(byName.dapi.downwardAPI.items[1], {
      path: 'cpu',
      resourceFieldRef: { containerName: 'main', resource: 'limits.cpu', divisor: '1m' },
    });
    assert.deepEqual(byName.proj.projected.sources[3], {
      serviceAccountToken: { audience: 'api', expirationSeconds: 3600, path: 'token' },
    });
  });

  it('decodes containers: env sources, resources, mounts, probes, hooks and security context', () => {
    const [main, grpc] = decode('job-from-cronjob').spec.template.spec.containers as Json[];
    assert.deepEqual(main!.env.slice(1, 4), [
      { name: 'EMPTY' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1' } } },
    ]);
    assert.deepEqual(main!.env[4].valueFrom, {
      configMapKeyRef: { name: 'app-config', key: 'greeting', optional: false },
    });
    assert.deepEqual(main!.envFrom, [
      { prefix: 'CFG_', configMapRef: { name: 'app-config', optional: true } },
      { secretRef: { name: 'db-creds' } },
    ]);
    assert.deepEqual(main!.resources, {
      limits: { cpu: '500m', memory: '128Mi' },
      requests: { cpu: '250m', memory: '64Mi', 'ephemeral-storage': '1Gi' },
    });
    assert.deepEqual(main!.volumeMounts[2], {
      name: 'host',
      mountPath: '/host',
      mountPropagation: 'HostToContainer',
      subPathExpr: '$(POD_NAME)',
    });
    assert.deepEqual(main!.livenessProbe.httpGet, {
      path: '/healthz',
      port: 'http',
      scheme: 'HTTP',
      httpHeaders: [{ name: 'X-Probe', value: 'live' }],
    });
    assert.equal(main!.livenessProbe.terminationGracePeriodSeconds, 5);
    assert.deepEqual(main!.readinessProbe.tcpSocket, { port: 8080 });
    assert.deepEqual(main!.startupProbe.exec, { command: ['cat', '/tmp/ready'] });
    assert.deepEqual(main!.lifecycle.preStop, { httpGet: { path: '/stop', port: 8080, scheme: 'HTTP' } });
    assert.deepEqual(main!.securityContext.capabilities, { add: ['NET_ADMIN'], drop: ['ALL'] });
    assert.equal(main!.securityContext.privileged, false);
    assert.deepEqual([main!.stdin, main!.stdinOnce, main!.tty], [true, true, true]);
    assert.deepEqual(grpc!.readinessProbe.grpc, { port: 9000, service: '' });
  });
});
