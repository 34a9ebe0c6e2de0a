import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { AgentDesired } from '../../../api/mqtt/payloads/desired-state.js';
import { LocalState } from '../../../edge-agent/local-state/local-state.js';
import { stateEncryptionFile } from '../../../edge-agent/local-state/state-encryption.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { aDesiredState } from './agent-builders.js';

const password = 'hunter2-gateway-17';
const encoded = Buffer.from(password).toString('base64');

function withSecret(revision: number): AgentDesired {
  return {
    ...aDesiredState(revision),
    secrets: [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'default' },
        data: { password: encoded },
      },
    ],
  } as AgentDesired;
}

function keysConfig(keys: Array<[string, string]>): string {
  return stringify({
    kind: 'EncryptionConfiguration',
    apiVersion: 'apiserver.config.k8s.io/v1',
    resources: [
      {
        resources: ['secrets'],
        providers: [{ aesgcm: { keys: keys.map(([name, secret]) => ({ name, secret })) } }, { identity: {} }],
      },
    ],
  });
}

/** nedb's appender, made to land half of its next write and fail as a full disk does. */
function failNextAppend(state: LocalState): void {
  const persistence = (state as any).datafile.db.__original.persistence;
  const real = persistence.persistNewStateAsync.bind(persistence);
  persistence.persistNewStateAsync = async (docs: unknown[]) => {
    persistence.persistNewStateAsync = real;
    const text = docs.map((d) => `${JSON.stringify(d)}\n`).join('');
    appendFileSync(persistence.filename, text.slice(0, text.length / 2));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
}

describe('agent local state on disk', () => {
  let dir: string;
  const file = () => join(dir, 'state', 'agent.db');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-agent-at-rest-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the first write acknowledged after a failed append that left a fragment', async () => {
    const state = await LocalState.open(dir);
    await state.saveDesired(aDesiredState(1));
    failNextAppend(state);
    await assert.rejects(state.saveDesired(aDesiredState(2, ['a', 'b'])), /ENOSPC/);
    await state.saveOfflineSince(1234);
    const logs: string[] = [];
    const reopened = await LocalState.open(dir, captureLogger(logs).child('local-state'));
    assert.equal(reopened.offlineSince(), 1234, 'the acknowledged write is there');
    assert.deepEqual(logs, [], 'no fragment was left to drop');
  });

  it('drops a torn last line naming the file and the count', async () => {
    const state = await LocalState.open(dir);
    await state.saveDesired(aDesiredState(3));
    appendFileSync(file(), '{"_id":"outbox/pod/x","seq":1,"ver');
    const logs: string[] = [];
    const reopened = await LocalState.open(dir, captureLogger(logs).child('local-state'));
    assert.equal(reopened.desired()?.revision, 3);
    assert.deepEqual(logs, [`local-state: ${file()}: dropped 1 torn or corrupt line(s)`]);
  });

  it('keeps agent.db and its key file 0600 in 0700 directories, tightening an existing install', async () => {
    mkdirSync(join(dir, 'state'), { recursive: true, mode: 0o755 });
    chmodSync(join(dir, 'state'), 0o755);
    writeFileSync(file(), '', { mode: 0o644 });
    writeFileSync(`${file()}~`, '{"_id":"half');
    await (await LocalState.open(dir)).saveDesired(aDesiredState(1));
    assert.equal(statSync(join(dir, 'state')).mode & 0o777, 0o700);
    assert.equal(statSync(file()).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, stateEncryptionFile)).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'state')), ['agent.db']);
  });

  it('writes its key file as JSON, an EncryptionConfiguration a YAML reader takes alike', async () => {
    await (await LocalState.open(dir)).saveDesired(withSecret(1));
    const text = readFileSync(join(dir, stateEncryptionFile), 'utf8');
    const config = JSON.parse(text) as { kind: string; resources: { resources: string[] }[] };
    assert.deepEqual(parse(text), config);
    assert.equal(config.kind, 'EncryptionConfiguration');
    assert.deepEqual(config.resources[0]?.resources, ['secrets']);
    assert.deepEqual((await LocalState.open(dir)).desired(), withSecret(1));
  });

  it('keeps Secrets out of the raw file and reads them back after a restart', async () => {
    await (await LocalState.open(dir)).saveDesired(withSecret(1));
    assert.ok(!readFileSync(file(), 'utf8').includes(encoded));
    assert.deepEqual((await LocalState.open(dir)).desired(), withSecret(1));
  });

  it('encrypts plaintext Secrets of a file from before when it opens', async () => {
    mkdirSync(join(dir, 'state'), { recursive: true });
    const old = withSecret(4);
    writeFileSync(file(), `${JSON.stringify({ _id: 'desired', revision: 4, json: JSON.stringify(old) })}\n`);
    assert.deepEqual((await LocalState.open(dir)).desired(), old);
    assert.ok(!readFileSync(file(), 'utf8').includes(encoded));
    assert.deepEqual((await LocalState.open(dir)).desired(), old);
  });

  it('rotates to a new first key, still reading the old one, and refuses a wrong key with one line', async () => {
    const key1 = randomBytes(32).toString('base64');
    const key2 = randomBytes(32).toString('base64');
    writeFileSync(join(dir, stateEncryptionFile), keysConfig([['key1', key1]]));
    await (await LocalState.open(dir)).saveDesired(withSecret(1));
    writeFileSync(
      join(dir, stateEncryptionFile),
      keysConfig([
        ['key2', key2],
        ['key1', key1],
      ]),
    );
    assert.deepEqual((await LocalState.open(dir)).desired(), withSecret(1));
    assert.match(readFileSync(file(), 'utf8'), /k8s:enc:aesgcm:v1:key2:/);
    assert.doesNotMatch(readFileSync(file(), 'utf8'), /k8s:enc:aesgcm:v1:key1:/);
    writeFileSync(join(dir, stateEncryptionFile), keysConfig([['key2', key1]]));
    await assert.rejects(
      LocalState.open(dir),
      (err: Error) =>
        err.message ===
        `cannot read ${file()}: its Secrets: key "key2" does not decrypt it (wrong key, or the value was altered) (keys: ${join(dir, stateEncryptionFile)})`,
    );
  });
});
