import assert from 'node:assert/strict';
import { defaultPullPolicy } from '../../../api/defaults/pod-spec-defaults.js';
import { computeQosClass } from '../../../api/defaults/qos-class.js';
import { aContainer, aPod, defaulted } from '../../helpers/builders.js';

describe('Pod defaulting', () => {
  it('fills the pod spec defaults kube-apiserver applies', () => {
    const pod = defaulted('Pod', aPod());
    assert.equal(pod.spec.restartPolicy, 'Always');
    assert.equal(pod.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(pod.spec.schedulerName, 'default-scheduler');
    assert.equal(pod.spec.terminationGracePeriodSeconds, 30);
    assert.deepEqual(pod.spec.securityContext, {});
    assert.equal(pod.spec.enableServiceLinks, true);
    assert.equal(pod.spec.priority, 0);
    assert.equal(pod.spec.tolerations, undefined);
  });

  it('fills container defaults', () => {
    const pod = aPod();
    pod.spec.containers[0].ports = [{ containerPort: 80 }];
    defaulted('Pod', pod);
    const [container] = pod.spec.containers;
    assert.equal(container.imagePullPolicy, 'IfNotPresent');
    assert.equal(container.terminationMessagePath, '/dev/termination-log');
    assert.equal(container.terminationMessagePolicy, 'File');
    assert.deepEqual(container.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('sets a new pod Pending with its QoS class', () => {
    const pod = defaulted('Pod', aPod());
    assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('keeps values the user set', () => {
    const pod = aPod();
    pod.spec.restartPolicy = 'Never';
    pod.spec.containers[0].imagePullPolicy = 'Never';
    defaulted('Pod', pod);
    assert.equal(pod.spec.restartPolicy, 'Never');
    assert.equal(pod.spec.containers[0].imagePullPolicy, 'Never');
  });

  it('defaults requests to limits, so limits alone make a pod Guaranteed', () => {
    const pod = aPod();
    pod.spec.containers[0].resources = { limits: { cpu: '500m', memory: '128Mi' } };
    defaulted('Pod', pod);
    assert.deepEqual(pod.spec.containers[0].resources.requests, { cpu: '500m', memory: '128Mi' });
    assert.equal(pod.status.qosClass, 'Guaranteed');
  });

  it('fills probe timings and the httpGet path and scheme', () => {
    const pod = aPod();
    pod.spec.containers[0].readinessProbe = { httpGet: { port: 8080 } };
    defaulted('Pod', pod);
    assert.deepEqual(pod.spec.containers[0].readinessProbe, {
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('turns a volume without a source into an emptyDir and gives projections a file mode', () => {
    const pod = aPod();
    pod.spec.volumes = [{ name: 'scratch' }, { name: 'conf', configMap: { name: 'settings' } }];
    defaulted('Pod', pod);
    assert.deepEqual(pod.spec.volumes, [
      { name: 'scratch', emptyDir: {} },
      { name: 'conf', configMap: { name: 'settings', defaultMode: 420 } },
    ]);
  });

  it('uses the container port as the host port with host networking', () => {
    const pod = aPod();
    pod.spec.hostNetwork = true;
    pod.spec.containers[0].ports = [{ containerPort: 8080 }];
    defaulted('Pod', pod);
    assert.equal(pod.spec.containers[0].ports[0].hostPort, 8080);
  });
});

describe('defaultPullPolicy', () => {
  const cases: Array<[string, string]> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry.local:5000/team/app', 'Always'],
    ['registry.local:5000/team/app:v2', 'IfNotPresent'],
    ['app@sha256:abcd', 'IfNotPresent'],
    ['app:latest@sha256:abcd', 'Always'],
  ];
  for (const [image, policy] of cases) {
    it(`pulls ${image} with ${policy}`, () => assert.equal(defaultPullPolicy(image), policy));
  }
});

describe('computeQosClass', () => {
  it('is Burstable when requests are below limits', () => {
    const container = {
      ...aContainer(),
      resources: { requests: { cpu: '100m' }, limits: { cpu: '1', memory: '1Gi' } },
    };
    assert.equal(computeQosClass({ containers: [container] }), 'Burstable');
  });

  it('is Burstable when one container has no limits', () => {
    const limited = {
      ...aContainer('a'),
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
    };
    assert.equal(computeQosClass({ containers: [limited, aContainer('b')] }), 'Burstable');
  });

  it('is BestEffort with no cpu or memory resources', () => {
    assert.equal(computeQosClass({ containers: [aContainer()] }), 'BestEffort');
  });
});
