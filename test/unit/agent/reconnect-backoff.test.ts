import assert from 'node:assert/strict';
import {
  describeConnectError,
  ReconnectBackoff,
  reconnectDelay,
  stableSessionMs,
} from '../../../edge-agent/hub-link/reconnect-backoff.js';

describe('agent reconnect back-off', () => {
  const options = { initialMs: 1_000, maxMs: 60_000, jitter: 0.2 };

  it('doubles from the initial delay up to the maximum, forever', () => {
    const delays = [1, 2, 3, 4, 6, 7, 8, 1_000].map((n) => reconnectDelay(n, options, () => 0.5));
    assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('spreads delays by the jitter, never past the maximum', () => {
    assert.equal(
      reconnectDelay(3, options, () => 0),
      3_200,
    );
    assert.equal(
      reconnectDelay(3, options, () => 1),
      4_800,
    );
    assert.equal(
      reconnectDelay(20, options, () => 1),
      60_000,
    );
  });

  it('waits at most refusedMaxMs after an attempt refused at TCP, and backs off in full again after one the hub answered', () => {
    const backoff = new ReconnectBackoff({ initialMs: 1_000, maxMs: 30_000, jitter: 0, refusedMaxMs: 5_000 });
    const refused = [1, 2, 3, 4, 5, 6].map(() => backoff.next(0, true).delayMs);
    assert.deepEqual(refused, [1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
    // The hub listens again but times out: the failures so far count, and the wait is the full one.
    assert.equal(backoff.next(0, false).delayMs, 30_000);
    assert.equal(
      reconnectDelay(9, { ...options, refusedMaxMs: 5_000 }, () => 1, true),
      5_000,
    );
  });

  it('starts over only after a session that stayed up, not after one dropped at once', () => {
    const backoff = new ReconnectBackoff({ initialMs: 1_000, maxMs: 30_000, jitter: 0 });
    const delays = [backoff.next(0).delayMs, backoff.next(0).delayMs, backoff.next(0).delayMs];
    assert.deepEqual(delays, [1_000, 2_000, 4_000]);
    backoff.connected(10_000);
    assert.deepEqual(backoff.next(10_500), { upForMs: 500, delayMs: 8_000 });
    backoff.connected(20_000);
    assert.deepEqual(backoff.next(20_000 + stableSessionMs), { upForMs: stableSessionMs, delayMs: 1_000 });
    assert.equal(backoff.failures, 1);
  });

  it('explains a refused CONNACK in terms the operator can act on', () => {
    const refused = Object.assign(new Error('Connection refused: Bad username or password'), { code: 4 });
    assert.equal(
      describeConnectError(refused),
      'hub refused the connection: bad username or password: this node name has no node key bound yet (or its Node was deleted), so a valid bootstrap token is needed: check --token (`flotilla token list` on the hub)',
    );
    const taken = Object.assign(new Error('Connection refused: Not authorized'), { code: 5 });
    assert.match(describeConnectError(taken), /this node name is bound to another gateway/);
    assert.equal(
      describeConnectError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
      'connect ECONNREFUSED',
    );
  });
});
