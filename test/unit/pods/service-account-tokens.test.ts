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
