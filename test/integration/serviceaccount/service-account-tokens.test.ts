import assert from 'node:assert/strict';
import { aNamespace, aPod } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const core = '/api/v1';

function tokenRequest(spec: Record<string, unknown> = {}) {
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec };
}

function claimsOf(token: string): any {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

function podIn(name: string, namespace: string, spec: Record<string, unknown> = {}) {
  const pod = aPod(name);
  pod.metadata.namespace = namespace;
  Object.assign(pod.spec as object, spec);
  return pod;
}

describe('ServiceAccounts and their tokens against a real hub', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
    assert.equal((await t.api.post(`${core}/namespaces`, aNamespace('plant'))).status, 201);
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: 'plant' } };
    assert.equal((await t.api.post(`${core}/namespaces/plant/serviceaccounts`, sa)).status, 201);
  });
  after(async () => {
    await t.close();
  });

  async function createToken(name: string, spec: Record<string, unknown> = {}, namespace = 'plant') {
    return t.api.post(`${core}/namespaces/${namespace}/serviceaccounts/${name}/token`, tokenRequest(spec));
  }

  it('gives a new namespace its default ServiceAccount and kube-root-ca.crt, and puts them back', async () => {
    const sa = await eventually(async () => {
      const res = await t.api.get(`${core}/namespaces/plant/serviceaccounts/default`);
      return res.status === 200 ? res.json() : false;
    });
    const cm = (await t.api.get(`${core}/namespaces/plant/configmaps/kube-root-ca.crt`)).json();
    assert.equal(cm.data['ca.crt'], t.hub.caPem);
    assert.equal((await t.api.delete(`${core}/namespaces/plant/serviceaccounts/default`)).status, 200);
    const again = await eventually(async () => {
      const res = await t.api.get(`${core}/namespaces/plant/serviceaccounts/default`);
      return res.status === 200 ? res.json() : false;
    });
    assert.notEqual(again.metadata.uid, sa.metadata.uid);
    const changed = { ...cm, data: { 'ca.crt': 'not a CA' } };
    assert.equal(
      (await t.api.put(`${core}/namespaces/plant/configmaps/kube-root-ca.crt`, changed)).status,
      200,
    );
    await eventually(async () => {
      const res = await t.api.get(`${core}/namespaces/plant/configmaps/kube-root-ca.crt`);
      return res.json().data?.['ca.crt'] === t.hub.caPem;
    });
  });

  it('issues a signed token that authenticates as the ServiceAccount', async () => {
    const res = await createToken('reader', { expirationSeconds: 1200 });
    assert.equal(res.status, 201);
    const body = res.json();
    assert.equal(body.kind, 'TokenRequest');
    const claims = claimsOf(body.status.token);
    assert.equal(claims.sub, 'system:serviceaccount:plant:reader');
    assert.equal(claims.exp - claims.iat, 1200);
    assert.deepEqual(claims.aud, ['https://kubernetes.default.svc.cluster.local']);
    assert.equal(Date.parse(body.status.expirationTimestamp) / 1000, claims.exp);
    const review = await t.api
      .withToken(body.status.token)
      .post('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      });
    assert.equal(review.status, 201);
    const user = review.json().status.userInfo;
    assert.equal(user.username, 'system:serviceaccount:plant:reader');
    assert.deepEqual(user.groups, [
      'system:serviceaccounts',
      'system:serviceaccounts:plant',
      'system:authenticated',
    ]);
    assert.deepEqual(user.extra['authentication.kubernetes.io/credential-id'], [`JTI=${claims.jti}`]);
    // Authenticated, but RBAC grants a ServiceAccount nothing by default.
    const list = await t.api.withToken(body.status.token).get(`${core}/namespaces/plant/pods`);
    assert.equal(list.status, 403);
    assert.match(
      list.json().message,
      /User "system:serviceaccount:plant:reader" cannot list resource "pods"/,
    );
  });

  it('refuses lifetimes under 10 minutes and bound objects of other kinds, naming the field', async () => {
    const short = await createToken('reader', { expirationSeconds: 599 });
    assert.equal(short.status, 422);
    assert.match(
      short.json().message,
      /spec\.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes/,
    );
    const bad = await createToken('reader', {
      boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'x' },
    });
    assert.equal(bad.status, 422);
    assert.match(bad.json().message, /spec\.boundObjectRef\.kind: Unsupported value: "Node"/);
    assert.equal((await createToken('nobody')).status, 404);
  });

  it('answers 401 for malformed, forged, wrong-audience and deleted-ServiceAccount tokens', async () => {
    const token = (await createToken('reader')).json().status.token as string;
    const [header, payload, signature] = token.split('.');
    const forged = { ...claimsOf(token), sub: 'system:serviceaccount:plant:admin' };
    const forgedToken = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    const other = (await createToken('reader', { audiences: ['vault'] })).json().status.token as string;
    for (const bad of ['eyJnot.a.jwt', forgedToken, `${header}.${payload}.AAAA`, other]) {
      const res = await t.api.withToken(bad).get(`${core}/namespaces/plant/pods`);
      assert.equal(res.status, 401, bad.slice(0, 20));
    }
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'temp', namespace: 'plant' } };
    assert.equal((await t.api.post(`${core}/namespaces/plant/serviceaccounts`, sa)).status, 201);
    const tempToken = (await createToken('temp')).json().status.token as string;
    const whoami = () =>
      t.api.withToken(tempToken).post('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      });
    await eventually(async () => (await whoami()).status === 201);
    assert.equal((await t.api.delete(`${core}/namespaces/plant/serviceaccounts/temp`)).status, 200);
    await eventually(async () => (await whoami()).status === 401);
    // Recreated under the same name: a new uid, and the old token stays refused.
    assert.equal((await t.api.post(`${core}/namespaces/plant/serviceaccounts`, sa)).status, 201);
    await eventually(
      async () => (await t.api.get(`${core}/namespaces/plant/serviceaccounts/temp`)).status === 200,
    );
    assert.equal((await whoami()).status, 401);
  });

  it('binds a token to a pod: the pod in the claims and the user, 401 once the pod is gone', async () => {
    assert.equal(
      (
        await t.api.post(
          `${core}/namespaces/plant/pods`,
          podIn('meter', 'plant', { serviceAccountName: 'reader' }),
        )
      ).status,
      201,
    );
    const pod = (await t.api.get(`${core}/namespaces/plant/pods/meter`)).json();
    const res = await createToken('reader', {
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'meter' },
    });
    assert.equal(res.status, 201);
    const token = res.json().status.token as string;
    assert.deepEqual(claimsOf(token)['kubernetes.io'].pod, { name: 'meter', uid: pod.metadata.uid });
    const whoami = () =>
      t.api.withToken(token).post('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      });
    const user = await eventually(async () => {
      const r = await whoami();
      return r.status === 201 ? r.json().status.userInfo : false;
    });
    assert.deepEqual(user.extra['authentication.kubernetes.io/pod-name'], ['meter']);
    assert.deepEqual(user.extra['authentication.kubernetes.io/pod-uid'], [pod.metadata.uid]);
    const wrongSa = await createToken('default', {
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'meter' },
    });
    assert.equal(wrongSa.status, 400);
    const staleUid = await createToken('reader', {
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'meter', uid: 'not-the-uid' },
    });
    assert.equal(staleUid.status, 409);
    // Not on a node: deleted at once.
    assert.equal((await t.api.delete(`${core}/namespaces/plant/pods/meter`)).status, 200);
    await eventually(async () => (await whoami()).status === 401);
  });

  it('admits pods: default ServiceAccount, the kube-api-access volume in every container and init container', async () => {
    const pod = podIn('app', 'plant', {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [
        { name: 'main', image: 'busybox' },
        { name: 'side', image: 'busybox' },
      ],
    });
    const created = await t.api.post(`${core}/namespaces/plant/pods`, pod);
    assert.equal(created.status, 201);
    const spec = created.json().spec;
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default');
    const volume = spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-'));
    assert.match(volume.name, /^kube-api-access-[a-z0-9]{5}$/);
    assert.deepEqual(volume.projected.sources, [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
        },
      },
    ]);
    for (const container of [...spec.initContainers, ...spec.containers]) {
      assert.deepEqual(container.volumeMounts, [
        { name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
      ]);
    }
  });

  it('mounts no token when the pod or its ServiceAccount says automountServiceAccountToken: false', async () => {
    const off = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'quiet', namespace: 'plant' },
      automountServiceAccountToken: false,
    };
    assert.equal((await t.api.post(`${core}/namespaces/plant/serviceaccounts`, off)).status, 201);
    const bySa = (
      await t.api.post(`${core}/namespaces/plant/pods`, podIn('q1', 'plant', { serviceAccountName: 'quiet' }))
    ).json();
    assert.equal(bySa.spec.volumes, undefined);
    const byPod = (
      await t.api.post(
        `${core}/namespaces/plant/pods`,
        podIn('q2', 'plant', { automountServiceAccountToken: false }),
      )
    ).json();
    assert.equal(byPod.spec.volumes, undefined);
    assert.equal(byPod.spec.containers[0].volumeMounts, undefined);
  });

  it('refuses a pod whose ServiceAccount does not exist, in Kubernetes words', async () => {
    const res = await t.api.post(
      `${core}/namespaces/plant/pods`,
      podIn('lost', 'plant', { serviceAccountName: 'ghost' }),
    );
    assert.equal(res.status, 403);
    assert.equal(
      res.json().message,
      'pods "lost" is forbidden: error looking up service account plant/ghost: serviceaccount "ghost" not found',
    );
  });

  it('admits a pod created right after its namespace, waiting for the default ServiceAccount', async () => {
    assert.equal((await t.api.post(`${core}/namespaces`, aNamespace('fresh'))).status, 201);
    const res = await t.api.post(`${core}/namespaces/fresh/pods`, podIn('first', 'fresh'));
    assert.equal(res.status, 201);
  });

  it('publishes the issuer discovery documents, whose key verifies the tokens', async () => {
    const config = (await t.api.get('/.well-known/openid-configuration')).json();
    assert.equal(config.issuer, 'https://kubernetes.default.svc.cluster.local');
    assert.equal(config.jwks_uri, `${t.hub.apiUrl}/openid/v1/jwks`);
    const jwks = (await t.api.get('/openid/v1/jwks')).json();
    const token = (await createToken('reader')).json().status.token as string;
    const { createPublicKey, createVerify } = await import('node:crypto');
    const key = createPublicKey({ key: jwks.keys[0], format: 'jwk' });
    const [h, p, s] = token.split('.');
    assert.equal(JSON.parse(Buffer.from(h!, 'base64url').toString()).kid, jwks.keys[0].kid);
    assert.ok(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s!, 'base64url')));
  });

  it('answers LocalSubjectAccessReview in its namespace, for a ServiceAccount bound to a role there', async () => {
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'reader-view', namespace: 'plant' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'plant' }],
    };
    assert.equal(
      (await t.api.post('/apis/rbac.authorization.k8s.io/v1/namespaces/plant/rolebindings', binding)).status,
      201,
    );
    const review = (resourceAttributes: Record<string, string>) =>
      t.api.post('/apis/authorization.k8s.io/v1/namespaces/plant/localsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'LocalSubjectAccessReview',
        spec: {
          user: 'system:serviceaccount:plant:reader',
          groups: ['system:serviceaccounts'],
          resourceAttributes,
        },
      });
    await eventually(async () => {
      const res = await review({ verb: 'list', resource: 'pods' });
      return res.status === 201 && res.json().status?.allowed === true;
    });
    assert.equal((await review({ verb: 'delete', resource: 'pods' })).json().status.allowed, false);
    const elsewhere = await review({ verb: 'list', resource: 'pods', namespace: 'other' });
    assert.equal(elsewhere.status, 400);
    assert.match(elsewhere.json().message, /spec\.resourceAttributes\.namespace must match namespace/);
  });
});
