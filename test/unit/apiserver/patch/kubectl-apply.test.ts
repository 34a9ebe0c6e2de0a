// Strategic merge patches exactly as kubectl 1.32 computes them (client-side apply, set image,
// edit), applied to objects as the hub stores them: with defaulted fields and status.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/types.js';
import { applyStrategicMergePatch } from '../../../../hub/apiserver/patch/strategic-merge-patch.js';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

type Fields = Record<string, unknown>;
type Container = Fields & {
  name: string;
  image?: string;
  env?: Fields[];
  ports?: Fields[];
  volumeMounts?: Fields[];
};

interface DeploymentShape extends KubeObject {
  spec: Fields & { replicas: number; template: Fields & { spec: Fields & { containers: Container[] } } };
  status: Fields;
}

function aStoredDeployment(): DeploymentShape {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: '6f1c',
      resourceVersion: '1200',
      generation: 3,
      labels: { app: 'web' },
      annotations: { [lastApplied]: '{"old":"config"}\n', 'deployment.kubernetes.io/revision': '3' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              imagePullPolicy: 'IfNotPresent',
              terminationMessagePath: '/dev/termination-log',
              env: [
                { name: 'MODE', value: 'prod' },
                { name: 'DEBUG', value: '1' },
                { name: 'REGION', value: 'eu' },
              ],
              ports: [
                { containerPort: 80, name: 'http', protocol: 'TCP' },
                { containerPort: 9090, name: 'metrics', protocol: 'TCP' },
              ],
              volumeMounts: [
                { name: 'config', mountPath: '/etc/nginx/conf.d' },
                { name: 'cache', mountPath: '/var/cache/nginx' },
              ],
            },
            { name: 'log-shipper', image: 'fluent-bit:3.0' },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'web-config' } },
            { name: 'cache', emptyDir: {} },
          ],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
        },
      },
    },
    status: { observedGeneration: 3, replicas: 2, readyReplicas: 2 },
  };
}

function apply(patch: unknown, original: KubeObject = aStoredDeployment()): DeploymentShape {
  return applyStrategicMergePatch(original, patch, 'Deployment') as DeploymentShape;
}

/** A patch touching only the pod template spec, as most kubectl patches of workloads do. */
function podSpecPatch(spec: Fields): Fields {
  return { spec: { template: { spec } } };
}

function container(d: DeploymentShape, name: string): Container {
  const found = d.spec.template.spec.containers.find((c) => c.name === name);
  assert.ok(found, `container ${name}`);
  return found;
}

describe('strategic merge patches sent by kubectl', () => {
  describe('kubectl apply of a changed Deployment', () => {
    // New image, DEBUG removed from env, replicas 2 -> 4: what CreateThreeWayMergePatch yields.
    const applyPatch = {
      metadata: { annotations: { [lastApplied]: '{"new":"config"}\n' } },
      spec: {
        replicas: 4,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'log-shipper' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'MODE' }, { name: 'REGION' }],
                env: [{ $patch: 'delete', name: 'DEBUG' }],
                image: 'nginx:1.27',
                name: 'web',
              },
            ],
          },
        },
      },
    };

    it('updates the last-applied annotation and keeps the controller annotations', () => {
      const d = apply(applyPatch);
      assert.deepEqual(d.metadata.annotations, {
        [lastApplied]: '{"new":"config"}\n',
        'deployment.kubernetes.io/revision': '3',
      });
    });

    it('changes the image and replicas of the matching container', () => {
      const d = apply(applyPatch);
      assert.equal(d.spec.replicas, 4);
      assert.equal(container(d, 'web').image, 'nginx:1.27');
      assert.equal(container(d, 'log-shipper').image, 'fluent-bit:3.0');
    });

    it('deletes the env entry marked `$patch: delete` and keeps the rest in order', () => {
      assert.deepEqual(container(apply(applyPatch), 'web').env, [
        { name: 'MODE', value: 'prod' },
        { name: 'REGION', value: 'eu' },
      ]);
    });

    it('keeps server-defaulted fields, other lists and status untouched', () => {
      const d = apply(applyPatch);
      const web = container(d, 'web');
      assert.equal(web['imagePullPolicy'], 'IfNotPresent');
      assert.equal(web.ports?.length, 2);
      assert.equal(web.volumeMounts?.length, 2);
      assert.equal(d.spec.template.spec['dnsPolicy'], 'ClusterFirst');
      assert.deepEqual(d.status, { observedGeneration: 3, replicas: 2, readyReplicas: 2 });
    });

    it('leaves no directive in the result', () => {
      assert.doesNotMatch(JSON.stringify(apply(applyPatch)), /\$patch|\$setElementOrder|\$retainKeys/);
    });

    it('never mutates the stored object', () => {
      const original = aStoredDeployment();
      apply(applyPatch, original);
      assert.deepEqual(original, aStoredDeployment());
    });
  });

  it('reorders containers as `$setElementOrder` lists them when only the order changed', () => {
    const d = apply(
      podSpecPatch({ '$setElementOrder/containers': [{ name: 'log-shipper' }, { name: 'web' }] }),
    );
    assert.deepEqual(
      d.spec.template.spec.containers.map((c) => c.name),
      ['log-shipper', 'web'],
    );
  });

  it('adds a container that apply introduces at the place its order gives', () => {
    const d = apply(
      podSpecPatch({
        '$setElementOrder/containers': [{ name: 'init-proxy' }, { name: 'web' }, { name: 'log-shipper' }],
        containers: [{ name: 'init-proxy', image: 'envoy:1.30' }],
      }),
    );
    assert.deepEqual(
      d.spec.template.spec.containers.map((c) => c.name),
      ['init-proxy', 'web', 'log-shipper'],
    );
  });

  it('merges container ports by containerPort', () => {
    const d = apply(
      podSpecPatch({
        containers: [
          {
            name: 'web',
            ports: [
              { containerPort: 9090, name: 'prom' },
              { containerPort: 443, name: 'https' },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(container(d, 'web').ports, [
      { containerPort: 80, name: 'http', protocol: 'TCP' },
      { containerPort: 9090, name: 'prom', protocol: 'TCP' },
      { containerPort: 443, name: 'https' },
    ]);
  });

  it('merges volumeMounts by mountPath and volumes by name', () => {
    const d = apply(
      podSpecPatch({
        containers: [
          {
            name: 'web',
            volumeMounts: [
              { mountPath: '/etc/nginx/conf.d', readOnly: true, name: 'config' },
              { mountPath: '/var/cache/nginx', $patch: 'delete' },
            ],
          },
        ],
        volumes: [{ name: 'cache', $patch: 'delete' }],
      }),
    );
    assert.deepEqual(container(d, 'web').volumeMounts, [
      { name: 'config', mountPath: '/etc/nginx/conf.d', readOnly: true },
    ]);
    assert.deepEqual(d.spec.template.spec['volumes'], [
      { name: 'config', configMap: { name: 'web-config' } },
    ]);
  });

  it('swaps a volume source with `$retainKeys`, as apply does for a retainKeys volume', () => {
    const d = apply(
      podSpecPatch({
        volumes: [{ $retainKeys: ['name', 'secret'], name: 'config', secret: { secretName: 'web-tls' } }],
      }),
    );
    assert.deepEqual(d.spec.template.spec['volumes'], [
      { name: 'config', secret: { secretName: 'web-tls' } },
      { name: 'cache', emptyDir: {} },
    ]);
  });

  it('switches to the Recreate strategy dropping rollingUpdate via `$retainKeys`', () => {
    const d = apply({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual(d.spec['strategy'], { type: 'Recreate' });
  });

  it('applies the body of `kubectl set image deploy/web log-shipper=fluent-bit:3.1`', () => {
    const d = apply(podSpecPatch({ containers: [{ name: 'log-shipper', image: 'fluent-bit:3.1' }] }));
    assert.equal(container(d, 'log-shipper').image, 'fluent-bit:3.1');
    assert.equal(container(d, 'web').image, 'nginx:1.25');
  });
});
