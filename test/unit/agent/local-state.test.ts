import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../../edge-agent/hub-link/outbox.js';
import { LocalState } from '../../../edge-agent/local-state/local-state.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { aDesiredState, anEvent, aPodStatus } from './agent-builders.js';

describe('agent local state', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-agent-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the desired state across restarts, labels with dots included', async () => {
    const state = await LocalState.open(dir);
    assert.equal(state.desired(), undefined);
    const desired = aDesiredState(7, ['a', 'b']);
    desired.pods[0]!.metadata.labels = { 'app.kubernetes.io/name': 'reader' };
    await state.saveDesired(desired);
    const reopened = await LocalState.open(dir);
    assert.deepEqual(reopened.desired(), desired);
  });

  it('writes the desired state only when its revision changes', async () => {
    const state = await LocalState.open(dir);
    await state.saveDesired(aDesiredState(7));
    const after = state.bytesWritten;
    await state.saveDesired(aDesiredState(7));
    assert.equal(state.bytesWritten, after);
    await state.saveDesired(aDesiredState(8));
    assert.ok(state.bytesWritten > after);
  });

  it('keeps the outbox in order, writing only the entries that changed', async () => {
    const state = await LocalState.open(dir);
    const outbox = new Outbox();
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 1) });
    outbox.add({ kind: 'event', item: anEvent('a', 'Started', 2) });
    outbox.add({ kind: 'podStatus', item: aPodStatus('b', 3) });
    await state.saveOutbox(outbox.list());
    const afterFirst = state.bytesWritten;
    await state.saveOutbox(outbox.list());
    assert.equal(state.bytesWritten, afterFirst, 'an unchanged outbox writes nothing');
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 4, 'Failed') });
    outbox.settle([outbox.list()[1]!]);
    await state.saveOutbox(outbox.list());
    const reopened = await LocalState.open(dir);
    assert.deepEqual(reopened.outbox(), outbox.list());
    assert.deepEqual(
      reopened.outbox().map((e) => e.key),
      ['pod/a', 'pod/b'],
    );
  });

  it('compacts the file when it is opened', async () => {
    const state = await LocalState.open(dir);
    for (let revision = 1; revision <= 20; revision++) await state.saveDesired(aDesiredState(revision));
    const reopened = await LocalState.open(dir);
    assert.ok(
      reopened.bytesWritten < state.bytesWritten / 10,
      `${reopened.bytesWritten} vs ${state.bytesWritten}`,
    );
    assert.equal(reopened.desired()?.revision, 20);
  });

  it('survives a torn last line (power lost mid-append)', async () => {
    const state = await LocalState.open(dir);
    await state.saveDesired(aDesiredState(3));
    appendFileSync(join(dir, 'state', 'agent.db'), '{"_id":"outbox/pod/x","seq":1,"ver');
    const reopened = await LocalState.open(dir);
    assert.equal(reopened.desired()?.revision, 3);
    assert.equal(reopened.recovered, undefined);
  });

  it('moves an unreadable file aside and starts empty, saying why', async () => {
    const logs: string[] = [];
    // A directory where the datafile should be cannot be read.
    mkdirSync(join(dir, 'state', 'agent.db'), { recursive: true });
    const state = await LocalState.open(dir, captureLogger(logs).child('local-state'));
    assert.equal(state.desired(), undefined);
    assert.match(state.recovered ?? '', /^local state unreadable \(EISDIR/);
    assert.match(logs[0] ?? '', /moved aside, starting empty/);
    assert.ok(readdirSync(join(dir, 'state')).some((f) => f.startsWith('agent.db.broken-')));
    await state.saveDesired(aDesiredState(1));
    assert.equal((await LocalState.open(dir)).desired()?.revision, 1);
  });
});
