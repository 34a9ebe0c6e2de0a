// The hub driven by the official Python client (Debian's python3-kubernetes): typed CRUD, a watch
// from a list's resourceVersion ended by the server's timeout, reading Nodes, and a
// CustomResourceDefinition with its objects. The session
// is test/e2e/python/client_session.py; it prints what it saw as JSON and the assertions are here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingPythonClient, skipSuiteUnless } from '../helpers/environment.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';

const python = '/usr/bin/python3';
const script = join(import.meta.dirname, 'python', 'client_session.py');

describe('the official Python client against the hub', function () {
  this.timeout(60_000);
  let hub: HubProcess;
  let seen: Record<string, unknown>;

  before(async function () {
    skipSuiteUnless(this, missingPythonClient());
    hub = await startHubProcess();
    const { stdout } = await promisify(execFile)(python, [script, hub.kubeconfig], { timeout: 45_000 });
    seen = JSON.parse(stdout.trim().split('\n').at(-1)!);
  });
  after(async () => {
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it('creates, patches, replaces, lists by label and deletes, with 404 NotFound after', () => {
    assert.equal(seen.initial_items, 0);
    assert.equal(seen.created_uid, true);
    assert.deepEqual(seen.patched_data, { a: '1', b: '2' });
    assert.deepEqual(seen.replaced_data, { c: '3' });
    assert.deepEqual(seen.by_label, ['cfg']);
    assert.equal(seen.after_delete, 404);
    assert.equal(seen.after_delete_reason, 'NotFound');
  });

  it('watches from a list resourceVersion: the changes since, then the end at timeout_seconds', () => {
    assert.deepEqual(seen.watch_events, [
      ['ADDED', 'cfg'],
      ['MODIFIED', 'cfg'],
      ['MODIFIED', 'cfg'],
      ['DELETED', 'cfg'],
    ]);
  });

  it('reads a Node whose nodeInfo was registered without the fields Go always sends', () => {
    assert.equal(seen.node_arch, 'arm64');
    assert.deepEqual(seen.nodes, ['py-gw']);
  });

  it('creates a CustomResourceDefinition with the typed client and uses its objects through CustomObjectsApi', () => {
    assert.equal(seen.crd_established, 'True');
    assert.equal(seen.crd_accepted_kind, 'Valve');
    assert.equal(seen.valve_created_open, false);
    assert.equal(seen.valve_patched_open, true);
    assert.deepEqual(seen.valves, ['v-1']);
    assert.equal(seen.valves_after_delete, 0);
  });
});
