import assert from 'node:assert/strict';
import { backoffDelay, nextBackoffDelay, withJitter } from '../../../api/backoff.js';

const kubelet = { initialMs: 10_000, maxMs: 300_000 };

describe('exponential back-off', () => {
  it('waits nothing before the first failure, then doubles from the initial wait', () => {
    assert.equal(backoffDelay(0, kubelet), 0);
    assert.equal(backoffDelay(-3, kubelet), 0);
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => backoffDelay(n, kubelet)),
      [10_000, 20_000, 40_000, 80_000, 160_000],
    );
  });

  it('stops at the cap and stays there, however many failures', () => {
    assert.equal(backoffDelay(6, kubelet), 300_000);
    assert.equal(backoffDelay(31, kubelet), 300_000);
    assert.equal(backoffDelay(10_000, kubelet), 300_000);
    assert.equal(backoffDelay(10_000, { initialMs: 0, maxMs: 1000 }), 0);
    assert.equal(backoffDelay(Number.NaN, kubelet), 0);
  });

  it('steps from the last wait the same way', () => {
    assert.equal(nextBackoffDelay(undefined, kubelet), 10_000);
    assert.equal(nextBackoffDelay(10_000, kubelet), 20_000);
    assert.equal(nextBackoffDelay(160_000, kubelet), 300_000);
    assert.equal(nextBackoffDelay(300_000, kubelet), 300_000);
    let wait: number | undefined;
    for (let failures = 1; failures <= 8; failures++) {
      wait = nextBackoffDelay(wait, kubelet);
      assert.equal(wait, backoffDelay(failures, kubelet));
    }
  });

  it('moves a wait by at most the jitter fraction, within zero and the cap, in whole milliseconds', () => {
    assert.equal(
      withJitter(1000, 0.2, 30_000, () => 0),
      800,
    );
    assert.equal(
      withJitter(1000, 0.2, 30_000, () => 0.5),
      1000,
    );
    assert.equal(
      withJitter(1000, 0.2, 30_000, () => 0.999_999),
      1200,
    );
    assert.equal(
      withJitter(30_000, 0.2, 30_000, () => 0.999_999),
      30_000,
    );
    assert.equal(
      withJitter(1000, 1, 30_000, () => 0),
      0,
    );
    assert.equal(
      withJitter(1000, 0.2, 30_000, () => 0.123),
      849,
    );
    for (let i = 0; i < 1000; i++) {
      const wait = withJitter(5000, 0.2, 5000);
      assert.ok(wait >= 4000 && wait <= 5000 && Number.isInteger(wait), String(wait));
    }
  });
});
