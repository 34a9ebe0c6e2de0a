import assert from 'node:assert/strict';
import type { Clock } from '../../../api/clock.js';
import type { KubeObject } from '../../../api/types.js';
import { signJws, verifyJws } from '../../../hub/serviceaccount/jws.js';
import { generateSigningKeyPem, signingKeyFromPem } from '../../../hub/serviceaccount/signing-key.js';
import { ServiceAccountTokenAuthenticator } from '../../../hub/serviceaccount/token-authenticator.js';
import { TokenIssuer } from '../../../hub/serviceaccount/token-issuer.js';

const key = signingKeyFromPem(generateSigningKeyPem());
const otherKey = signingKeyFromPem(generateSigningKeyPem());
const issuerUrl = 'https://kubernetes.default.svc.cluster.local';

function clockAt(ms: number): Clock & { set(ms: number): void } {
  let now = ms;
  return {
    now: () => new Date(now),
    set: (next) => {
      now = next;
    },
  };
}

function object(kind: string, name: string, uid: string, deletionTimestamp?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: 'plant', uid, ...(deletionTimestamp ? { deletionTimestamp } : {}) },
  };
}

function world() {
  const objects = new Map<string, KubeObject>([
    ['sa/reader', object('ServiceAccount', 'reader', 'sa-1')],
    ['pod/meter', object('Pod', 'meter', 'pod-1')],
  ]);
  return {
    objects,
    view: {
      serviceAccount: (_ns: string, name: string) => objects.get(`sa/${name}`),
      pod: (_ns: string, name: string) => objects.get(`pod/${name}`),
      secret: (_ns: string, name: string) => objects.get(`secret/${name}`),
    },
  };
}

describe('ServiceAccount tokens', () => {
  const start = Date.parse('2026-12-07T12:00:00Z');

  function setup() {
    const clock = clockAt(start);
    const { objects, view } = world();
    const issuer = new TokenIssuer({ key, issuer: issuerUrl, apiAudiences: [issuerUrl], clock });
    const auth = new ServiceAccountTokenAuthenticator({
      key,
      issuer: issuerUrl,
      apiAudiences: [issuerUrl],
      objects: view,
      clock,
    });
    const issue = (extra: Partial<Parameters<TokenIssuer['issue']>[0]> = {}) =>
      issuer.issue({
        namespace: 'plant',
        serviceAccount: { name: 'reader', uid: 'sa-1' },
        audiences: [],
        expirationSeconds: 600,
        ...extra,
      });
    return { clock, objects, issue, auth };
  }

  it('signs RS256 JWS that verify with the key and fail with any other or when altered', () => {
    const token = signJws({ sub: 'x' }, key.privateKey, key.kid);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    assert.deepEqual(header, { alg: 'RS256', kid: key.kid });
    assert.deepEqual(verifyJws(token, key.publicKey, key.kid), { ok: true, payload: { sub: 'x' } });
    assert.deepEqual(verifyJws(token, otherKey.publicKey, key.kid), {
      ok: false,
      error: 'invalid signature',
    });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`;
    assert.deepEqual(verifyJws(none, key.publicKey, key.kid), {
      ok: false,
      error: 'unsupported signing algorithm',
    });
    assert.deepEqual(verifyJws('a.b', key.publicKey, key.kid), { ok: false, error: 'not a compact JWS' });
  });

  it('writes the claims Kubernetes writes, bound to a pod and its node', () => {
    const { issue } = setup();
    const issued = issue({
      pod: { name: 'meter', uid: 'pod-1' },
      node: { name: 'gw-1', uid: 'node-1' },
      audiences: ['vault'],
      expirationSeconds: 1200,
    });
    const iat = start / 1000;
    const { jti, ...claims } = issued.claims;
    assert.match(jti, /^[0-9a-f-]{36}$/);
    assert.deepEqual(claims, {
      iss: issuerUrl,
      sub: 'system:serviceaccount:plant:reader',
      aud: ['vault'],
      exp: iat + 1200,
      iat,
      nbf: iat,
      'kubernetes.io': {
        namespace: 'plant',
        serviceaccount: { name: 'reader', uid: 'sa-1' },
        pod: { name: 'meter', uid: 'pod-1' },
        node: { name: 'gw-1', uid: 'node-1' },
      },
    });
    assert.equal(issued.expirationTimestamp.getTime(), start + 1200_000);
  });

  it("extends a pod's 3607 s token to a year with warnafter at the hour, and says the hour", () => {
    const { issue } = setup();
    const issued = issue({ pod: { name: 'meter', uid: 'pod-1' }, expirationSeconds: 3607 });
    const iat = start / 1000;
    assert.equal(issued.claims.exp, iat + 365 * 24 * 3600);
    assert.equal(issued.claims['kubernetes.io'].warnafter, iat + 3607);
    assert.equal(issued.expirationTimestamp.getTime(), start + 3607_000);
    // Not bound to a pod: not extended.
    assert.equal(issue({ expirationSeconds: 3607 }).claims.exp, iat + 3607);
  });

  it('authenticates a token as the ServiceAccount with the pod in extra', () => {
    const { issue, auth } = setup();
    const { token, claims } = issue({ pod: { name: 'meter', uid: 'pod-1' } });
    assert.deepEqual(auth.authenticate(token), {
      name: 'system:serviceaccount:plant:reader',
      uid: 'sa-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:plant', 'system:authenticated'],
      extra: {
        'authentication.kubernetes.io/pod-name': ['meter'],
        'authentication.kubernetes.io/pod-uid': ['pod-1'],
        'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`],
      },
    });
  });

  it('refuses expired tokens, tokens for other audiences, of other issuers or signed by other keys', () => {
    const { clock, issue, auth } = setup();
    const { token } = issue();
    clock.set(start + 599_000);
    assert.ok(auth.authenticate(token));
    clock.set(start + 600_000);
    assert.equal(auth.authenticate(token), undefined);
    clock.set(start);
    assert.equal(auth.authenticate(issue({ audiences: ['vault'] }).token), undefined);
    const foreign = new TokenIssuer({ key: otherKey, issuer: issuerUrl, apiAudiences: [issuerUrl], clock });
    const forged = foreign.issue({
      namespace: 'plant',
      serviceAccount: { name: 'reader', uid: 'sa-1' },
      audiences: [],
      expirationSeconds: 600,
    });
    assert.equal(auth.authenticate(forged.token), undefined);
    const elsewhere = new TokenIssuer({ key, issuer: 'https://elsewhere', apiAudiences: [issuerUrl], clock });
    const theirs = elsewhere.issue({
      namespace: 'plant',
      serviceAccount: { name: 'reader', uid: 'sa-1' },
      audiences: [],
      expirationSeconds: 600,
    });
    assert.equal(auth.authenticate(theirs.token), undefined);
    assert.equal(auth.authenticate('0123456789abcdef'), undefined);
  });

  it('refuses tokens whose ServiceAccount or pod is gone, recreated, or deleted over a minute ago', () => {
    const { clock, objects, issue, auth } = setup();
    const { token } = issue({ pod: { name: 'meter', uid: 'pod-1' } });
    assert.ok(auth.authenticate(token));
    objects.set('pod/meter', object('Pod', 'meter', 'pod-2'));
    assert.equal(auth.authenticate(token), undefined);
    objects.set('pod/meter', object('Pod', 'meter', 'pod-1', new Date(start).toISOString()));
    assert.ok(auth.authenticate(token), 'a pod being deleted keeps its token for a minute');
    clock.set(start + 61_000);
    assert.equal(auth.authenticate(token), undefined);
    clock.set(start);
    objects.set('pod/meter', object('Pod', 'meter', 'pod-1'));
    objects.delete('sa/reader');
    assert.equal(auth.authenticate(token), undefined);
    objects.set('sa/reader', object('ServiceAccount', 'reader', 'sa-9'));
    assert.equal(auth.authenticate(token), undefined);
  });
});
