import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import {
  heldFromJwt,
  ServiceAccountTokens,
  type TokenAsk,
  type TokenSource,
} from '../../../edge-agent/pods/service-account-tokens.js';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'meter', namespace: 'plant', uid: 'u1' },
};
const spec = { expirationSeconds: 3607, path: 'token' };

function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.sig`;
}

/** A hub that hands out numbered tokens valid `lifetimeMs` from the clock, or fails when down. */
function fakeHub(clock: { now(): Date }, lifetimeMs: number) {
  const asks: TokenAsk[] = [];
  let down = false;
  const source: TokenSource = {
    request: async (ask) => {
      asks.push(ask);
      if (down) throw new Error('not connected to the hub');
      return { token: `token-${asks.length}`, expirationTimestamp: clock.now().getTime() + lifetimeMs };
    },
  };
  return {
    source,
    asks,
    setDown: (value: boolean) => {
      down = value;
    },
  };
}

describe("agent: the pods' ServiceAccount tokens", () => {
  let now = 0;
  const clock = { now: () => new Date(now) };
  beforeEach(() => {
    now = Date.parse('2026-12-07T12:00:00Z');
  });

  it('asks the hub for the pod, keeps the token until 80% of its lifetime, then renews it', async () => {
    const hub = fakeHub(clock, 3607_000);
    const tokens = new ServiceAccountTokens(hub.source, clock);
    assert.equal(await tokens.token(pod, spec, undefined), 'token-1');
    assert.deepEqual(hub.asks, [
      { namespace: 'plant', pod: 'meter', uid: 'u1', audience: undefined, expirationSeconds: 3607 },
    ]);
    now += 2885_000;
    assert.equal(tokens.refreshDue('u1'), false);
    assert.equal(await tokens.token(pod, spec, undefined), 'token-1');
    now += 1_000;
    assert.equal(tokens.refreshDue('u1'), true);
    assert.equal(await tokens.token(pod, spec, undefined), 'token-2');
    assert.equal(tokens.refreshDue('u1'), false);
  });

  it('keeps the last token while the hub is unreachable, asking again only after a pause', async () => {
    const hub = fakeHub(clock, 600_000);
    const tokens = new ServiceAccountTokens(hub.source, clock, { refreshFraction: 0.5 });
    await tokens.token(pod, spec, undefined);
    hub.setDown(true);
    now += 300_000;
    assert.equal(tokens.refreshDue('u1'), true);
    assert.equal(await tokens.token(pod, spec, undefined), 'token-1');
    assert.equal(tokens.refreshDue('u1'), false, 'not asked again at once');
    assert.equal(await tokens.token(pod, spec, undefined), 'token-1');
    assert.equal(hub.asks.length, 2);
    now += 10_000;
    hub.setDown(false);
    assert.equal(tokens.refreshDue('u1'), true);
    assert.equal(await tokens.token(pod, spec, undefined), 'token-3');
  });

  it('takes back the token on disk after a restart with the hub unreachable, and fails without one', async () => {
    const hub = fakeHub(clock, 600_000);
    hub.setDown(true);
    const tokens = new ServiceAccountTokens(hub.source, clock);
    const iat = now / 1000 - 60;
    const onDisk = jwt({ iat, exp: iat + 365 * 24 * 3600, 'kubernetes.io': { warnafter: iat + 3607 } });
    assert.equal(await tokens.token(pod, spec, onDisk), onDisk);
    assert.equal(hub.asks.length, 0, 'a fresh token on disk is used as is');
    await assert.rejects(
      new ServiceAccountTokens(hub.source, clock).token(pod, spec, undefined),
      /failed to fetch token: not connected to the hub/,
    );
  });

  it('prefetches the tokens of a new pod once, and the volume set-up takes the answer instead of asking again', async () => {
    let answer: (reply: { token: string; expirationTimestamp: number }) => void = () => {};
    const asks: TokenAsk[] = [];
    const slowHub: TokenSource = {
      request: (ask) => {
        asks.push(ask);
        return new Promise((resolve) => {
          answer = resolve;
        });
      },
    };
    const tokens = new ServiceAccountTokens(slowHub, clock);
    const projected = {
      ...pod,
      spec: {
        containers: [{ name: 'app', image: 'busybox' }],
        volumes: [
          {
            name: 'kube-api-access-x',
            projected: {
              sources: [{ serviceAccountToken: spec }, { configMap: { name: 'kube-root-ca.crt' } }],
            },
          },
        ],
      },
    };
    tokens.prefetch(projected);
    tokens.prefetch(projected);
    const forVolume = tokens.token(projected, spec, undefined);
    assert.equal(asks.length, 1, 'one request for the prefetches and the volume');
    answer({ token: 'early', expirationTimestamp: now + 3607_000 });
    assert.equal(await forVolume, 'early');
    tokens.prefetch(projected);
    assert.equal(asks.length, 1, 'a held token is not asked for again');
    assert.equal(await tokens.token(projected, spec, undefined), 'early');
  });

  it('after a failed prefetch the token on disk is used, and a forgotten pod keeps no late answer', async () => {
    const hub = fakeHub(clock, 600_000);
    hub.setDown(true);
    const tokens = new ServiceAccountTokens(hub.source, clock);
    const withToken = {
      ...pod,
      spec: { volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: spec }] } }] },
    };
    tokens.prefetch(withToken);
    await new Promise((resolve) => setImmediate(resolve));
    const iat = now / 1000 - 4000;
    const stale = jwt({ iat, exp: iat + 3607 });
    assert.equal(await tokens.token(withToken, spec, stale), stale, 'the hub just failed: the one on disk');
    assert.equal(hub.asks.length, 1);

    hub.setDown(false);
    const other = { ...withToken, metadata: { ...pod.metadata, uid: 'u2' } };
    tokens.prefetch(other);
    tokens.forget('u2');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(await tokens.token(other, spec, undefined), 'token-3', 'asked afresh, not the late answer');
  });

  it('reads the nominal expiry of a token: warnafter when extended, else exp', () => {
    assert.deepEqual(heldFromJwt(jwt({ iat: 100, exp: 9999, 'kubernetes.io': { warnafter: 200 } })), {
      token: jwt({ iat: 100, exp: 9999, 'kubernetes.io': { warnafter: 200 } }),
      issuedAt: 100_000,
      expiresAt: 200_000,
    });
    assert.equal(heldFromJwt(jwt({ iat: 100, exp: 700 }))?.expiresAt, 700_000);
    assert.equal(heldFromJwt('garbage'), undefined);
  });
});
