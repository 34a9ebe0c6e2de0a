import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../api/logger.js';
import { HubContact } from '../../../edge-agent/hub-link/hub-contact.js';
import { LocalState } from '../../../edge-agent/local-state/local-state.js';

describe('hub contact: since when the agent is without its hub', () => {
  let dir: string;
  let now: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-hub-contact-'));
    now = Date.parse('2026-03-01T08:00:00Z');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const contactOn = (state: LocalState) =>
    new HubContact({
      now: () => now,
      kept: state.offlineSince(),
      keep: (since) => state.saveOfflineSince(since),
      log: silentLogger,
    });

  it('says nothing at start until the first attempt to reach the hub is decided', async () => {
    const state = await LocalState.open(dir);
    const contact = contactOn(state);
    assert.equal(contact.offlineSince(), undefined);
    now += 5_000;
    contact.lost();
    assert.equal(contact.offlineSince(), Date.parse('2026-03-01T08:00:00Z'), 'counted from the start');
  });

  it('counts from the first loss, is in touch once the hub is heard, and counts how often', async () => {
    const contact = contactOn(await LocalState.open(dir));
    contact.heard();
    assert.equal(contact.offlineSince(), undefined);
    assert.equal(contact.regained, 1);
    now += 60_000;
    contact.lost();
    const lostAt = now;
    now += 1_000;
    contact.lost(); // every failed reconnect attempt says so again
    assert.equal(contact.offlineSince(), lostAt);
    contact.heard();
    contact.heard();
    assert.equal(contact.regained, 2, 'only a return counts');
  });

  it('keeps the time across an agent restart or reboot while offline', async () => {
    const first = contactOn(await LocalState.open(dir));
    first.heard();
    now += 10_000;
    first.lost();
    const lostAt = now;
    await first.flushed();
    now += 3_600_000;
    const second = contactOn(await LocalState.open(dir));
    assert.equal(second.offlineSince(), lostAt, 'known at once, before any attempt');
    second.heard();
    await second.flushed();
    assert.equal((await LocalState.open(dir)).offlineSince(), undefined);
  });

  it('writes only when the value changes', async () => {
    const state = await LocalState.open(dir);
    const contact = contactOn(state);
    contact.heard();
    await contact.flushed();
    const after = state.bytesWritten;
    contact.heard();
    await contact.flushed();
    assert.equal(state.bytesWritten, after);
    contact.lost();
    contact.lost();
    await contact.flushed();
    assert.ok(state.bytesWritten > after);
    assert.ok(state.bytesWritten - after < 200, `${state.bytesWritten - after} bytes for one outage start`);
  });
});
