import assert from 'node:assert/strict';
import {
  type BackoffEntry,
  formatGoDuration,
  isInBackOff,
  kubeletBackoff,
  nextBackoff,
} from '../../../edge-agent/pods/backoff.js';

describe('crash-loop back-off', () => {
  it('lets the first restart through, then waits 10 s, 20 s, 40 s ... up to 5 min', () => {
    let entry: BackoffEntry | undefined;
    let finishedAt = 0;
    const waits: number[] = [];
    for (let crash = 0; crash < 8; crash++) {
      assert.equal(isInBackOff(entry, finishedAt, finishedAt, kubeletBackoff), crash > 0);
      entry = nextBackoff(entry, finishedAt, kubeletBackoff);
      waits.push(entry.durationMs / 1000);
      finishedAt += entry.durationMs + 1000;
    }
    assert.deepEqual(waits, [10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('is over once the duration has passed since the failure', () => {
    const entry = { durationMs: 10_000, lastUpdate: 1000 };
    assert.equal(isInBackOff(entry, 5000, 14_999, kubeletBackoff), true);
    assert.equal(isInBackOff(entry, 5000, 15_000, kubeletBackoff), false);
  });

  it('starts over after twice the maximum without a failure', () => {
    const entry = { durationMs: 300_000, lastUpdate: 0 };
    assert.deepEqual(nextBackoff(entry, 600_000, kubeletBackoff), {
      durationMs: 300_000,
      lastUpdate: 600_000,
    });
    assert.deepEqual(nextBackoff(entry, 600_001, kubeletBackoff), {
      durationMs: 10_000,
      lastUpdate: 600_001,
    });
    assert.equal(isInBackOff(entry, 600_001, 600_002, kubeletBackoff), false);
  });

  it('is configurable, for tests that cannot wait 10 s', () => {
    const fast = { initialMs: 200, maxMs: 1000 };
    assert.deepEqual(nextBackoff(undefined, 0, fast), { durationMs: 200, lastUpdate: 0 });
    assert.equal(nextBackoff({ durationMs: 800, lastUpdate: 0 }, 1, fast).durationMs, 1000);
  });

  const durations: [number, string][] = [
    [200, '200ms'],
    [10_000, '10s'],
    [1500, '1.5s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
  ];
  for (const [ms, text] of durations) {
    it(`prints ${ms} ms as Go does: ${text}`, () => {
      assert.equal(formatGoDuration(ms), text);
    });
  }
});
