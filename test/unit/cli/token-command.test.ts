import assert from 'node:assert/strict';
import { parseDuration } from '../../../cli/duration.js';
import { shortHumanDuration, tokenRows } from '../../../cli/token-command.js';

describe('flotilla token: durations and the list table', () => {
  it('reads durations as kubeadm --ttl does', () => {
    assert.equal(parseDuration('24h', '--ttl'), 86_400_000);
    assert.equal(parseDuration('1h30m', '--ttl'), 5_400_000);
    assert.equal(parseDuration('24h0m0s', '--ttl'), 86_400_000);
    assert.equal(parseDuration('0', '--ttl'), 0);
    assert.equal(parseDuration('40', '--ttl'), 40_000);
    assert.throws(() => parseDuration('1d', '--ttl'), /--ttl must be a duration like 40s/);
    assert.throws(() => parseDuration('', '--ttl'), /--ttl must be a duration/);
  });

  it("prints TTLs as kubectl's short human durations", () => {
    assert.equal(shortHumanDuration(59_000), '59s');
    assert.equal(shortHumanDuration(23 * 3600_000 + 59 * 60_000), '23h');
    assert.equal(shortHumanDuration(3 * 86_400_000), '3d');
    assert.equal(shortHumanDuration(-5_000), '<invalid>');
  });

  it("prints kubeadm's columns", () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const [header, row] = tokenRows(
      [
        {
          id: 'abcdef',
          secret: '0123456789abcdef',
          expiration: new Date('2030-01-02T00:00:00Z'),
          usages: ['authentication', 'signing'],
        },
      ],
      now,
    );
    assert.match(header!, /^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/);
    assert.match(
      row!,
      /^abcdef\.0123456789abcdef\s+1d\s+2030-01-02T00:00:00Z\s+authentication,signing\s+<none>\s+system:bootstrappers:kubeadm:default-node-token$/,
    );
  });
});
