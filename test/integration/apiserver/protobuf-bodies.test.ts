// Kubernetes protobuf request bodies over HTTPS: a body kubectl sent creates the object the
// JSON path would have, and a broken one is a 400 Status that leaves the hub serving.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertStatus } from '../../helpers/assert-status.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { independentBody } from '../../unit/apiserver/protobuf/independent-types.js';

const deployments = '/apis/apps/v1/namespaces/default/deployments';
const protobuf = { 'Content-Type': 'application/vnd.kubernetes.protobuf' };
const fixtures = join(import.meta.dirname, '..', '..', 'unit', 'apiserver', 'protobuf', 'fixtures');

/** The body `kubectl create deployment web --image=nginx:1.25 --replicas=3 --port=80` sent. */
const kubectlDeployment = readFileSync(join(fixtures, 'deployment.pb'));
const magic = Buffer.from('k8s\0', 'latin1');

describe('API server: Kubernetes protobuf request bodies', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
  });
  after(async () => {
    await t.close();
  });

  it('creates a deployment from the protobuf body kubectl sends, as the JSON path would', async () => {
    const res = await t.api.post(deployments, kubectlDeployment, protobuf);
    assert.equal(res.status, 201, res.text);
    const stored = (await t.api.get(`${deployments}/web`)).json();
    assert.equal(stored.spec.replicas, 3);
    assert.deepEqual(stored.spec.selector, { matchLabels: { app: 'web' } });
    assert.deepEqual(stored.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.equal(stored.spec.template.spec.containers[0].image, 'nginx:1.25');
  });

  it('creates and renews a Lease that client-go leader election writes as protobuf', async () => {
    const leases = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
    const lease = (renewSeconds: number, resourceVersion = '') =>
      independentBody('coordination.k8s.io/v1', 'Lease', 'Lease', {
        metadata: { name: 'controller', namespace: 'default', ...(resourceVersion && { resourceVersion }) },
        spec: {
          holderIdentity: 'hub-0',
          leaseDurationSeconds: 15,
          renewTime: { seconds: renewSeconds, nanos: 250_000_000 },
          leaseTransitions: 0,
        },
      });
    const created = await t.api.post(leases, lease(1_700_000_000), protobuf);
    assert.equal(created.status, 201, created.text);
    const { resourceVersion } = created.json().metadata;
    const renewed = await t.api.send(
      'PUT',
      `${leases}/controller`,
      lease(1_700_000_010, resourceVersion),
      protobuf,
    );
    assert.equal(renewed.status, 200, renewed.text);
    const stored = (await t.api.get(`${leases}/controller`)).json();
    assert.equal(stored.spec.renewTime, '2023-11-14T22:13:30.250000Z');
    assert.equal(stored.spec.leaseTransitions, 0);
  });

  it('answers broken protobuf bodies with a 400 Status and keeps serving', async () => {
    const broken: [Buffer, RegExp][] = [
      [Buffer.from('{"kind":"Deployment"}'), /does not start with the Kubernetes magic number/],
      [kubectlDeployment.subarray(0, kubectlDeployment.length - 7), /^malformed protobuf/],
      [Buffer.concat([magic, Buffer.alloc(64, 0xff)]), /^malformed protobuf envelope/],
      [Buffer.concat([magic, Buffer.alloc(200_000, Buffer.from([0x9b, 0x06]))]), /maximum nesting depth/],
    ];
    for (const [body, message] of broken) {
      const status = assertStatus(await t.api.post(deployments, body, protobuf), 400, 'BadRequest');
      assert.match(status.message, message);
    }
    const health = await t.api.get('/healthz');
    assert.equal(health.text, 'ok');
    const list = (await t.api.get(deployments)).json();
    assert.deepEqual(
      list.items.map((d: { metadata: { name: string } }) => d.metadata.name),
      ['web'],
    );
  });
});
