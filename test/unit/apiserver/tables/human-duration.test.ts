import assert from 'node:assert/strict';
import { humanDuration, timeSince } from '../../../../hub/apiserver/tables/human-duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [-1500, '0s'],
    [-2500, '<invalid>'],
    [5 * s + 900, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 2 * s, '3m2s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [5 * h + 3 * m, '5h3m'],
    [8 * h + 59 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [20 * d, '20d'],
    [729 * d, '729d'],
    [2 * y, '2y'],
    [2 * y + 30 * d, '2y30d'],
    [8 * y + 100 * d, '8y'],
  ];
  for (const [ms, expected] of cases) {
    it(`prints ${ms} ms as ${expected}`, () => {
      assert.equal(humanDuration(ms), expected);
    });
  }
});

describe('timeSince', () => {
  const now = new Date('2025-06-01T12:00:00Z');

  it('measures from an RFC 3339 timestamp', () => {
    assert.equal(timeSince('2025-06-01T11:57:00Z', now), '3m');
  });

  it('prints <unknown> for a missing or unparsable timestamp', () => {
    assert.equal(timeSince(undefined, now), '<unknown>');
    assert.equal(timeSince('', now), '<unknown>');
    assert.equal(timeSince('yesterday-ish', now), '<unknown>');
  });
});
