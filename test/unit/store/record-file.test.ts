import assert from 'node:assert/strict';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordFile } from '../../../hub/store/record-file.js';

describe('record file compaction', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-record-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

  it('keeps exactly the latest line of each live document, in file order, and reopens to the same documents', async () => {
    const path = join(dir, 'pods.db');
    const { file } = await RecordFile.open(path);
    for (let round = 0; round < 5; round++) {
      await file.append(Array.from({ length: 40 }, (_, i) => ({ _id: `p${i}`, round, note: 'é'.repeat(i) })));
    }
    await file.append([
      { _id: 'p3', $$deleted: true },
      { _id: 'p7', round: 9 },
    ]);
    await file.append([{ _id: 'big', blob: 'x'.repeat(9 * 1024 * 1024) }]); // more than one read
    await file.compactIfWasteful();
    const after = lines(path).map((line) => JSON.parse(line));
    assert.equal(after.length, 40);
    assert.deepEqual(
      after.map((d) => d._id),
      [
        ...Array.from({ length: 40 }, (_, i) => `p${i}`).filter((id) => id !== 'p3' && id !== 'p7'),
        'p7',
        'big',
      ],
    );
    assert.ok(after.filter((d) => d._id.startsWith('p') && d._id !== 'p7').every((d) => d.round === 4));
    assert.equal(after.find((d) => d._id === 'p12').note, 'é'.repeat(12));
    assert.equal(after.find((d) => d._id === 'big').blob.length, 9 * 1024 * 1024);

    // Appends after a compaction land where the next compaction finds them.
    await file.append([{ _id: 'p1', round: 10 }]);
    await file.compactIfWasteful();
    await file.close();
    const { file: reopened, docs } = await RecordFile.open(path);
    await reopened.close();
    assert.equal(docs.length, 40);
    assert.equal(docs.find((d) => d._id === 'p1')?.round, 10);
    assert.equal(lines(path).length, 40);
  });

  it('reopens to the latest version of each document whatever the shape of its lines, keeping the one before a corrupt line', async () => {
    const path = join(dir, 'pods.db');
    const file = [
      '{"_id":"a","v":1}',
      '{"_id":"a","v":2}',
      '{"_id":"b","v":1}',
      '{"_id":"b","$$deleted":true}',
      '{"$$deleted":true,"_id":"a"}', // nedb's order
      '{"_id":"a","v":3}',
      '{"v":1,"_id":"c"}',
      '{"_id":"q\\"uote","v":1}',
      '{"_id":"d","v":1}',
      '{"_id":"d","v":2,"bro', // corrupt, and the last line of d
      '{"_id":"e","v":1}',
    ];
    writeFileSync(path, `${file.join('\n')}\n`);
    const reported: number[] = [];
    const { file: opened, docs } = await RecordFile.open(path, {
      onDropped: (_, count) => reported.push(count),
    });
    await opened.close();
    assert.deepEqual(Object.fromEntries(docs.map((d) => [d._id, d.v])), {
      a: 3,
      c: 1,
      'q"uote': 1,
      d: 1,
      e: 1,
    });
    assert.deepEqual(reported, [1]);
    const again = await RecordFile.open(path);
    await again.file.close();
    assert.deepEqual(
      Object.fromEntries(again.docs.map((d) => [d._id, d.v])),
      { a: 3, c: 1, 'q"uote': 1, d: 1, e: 1 },
      'the same after the compaction the corrupt line caused',
    );
  });

  it('loads a file larger than the longest string V8 can hold (512 MiB)', async function () {
    this.timeout(60_000);
    const path = join(dir, 'events.db');
    // 72 versions of one 8 MiB document: 576 MiB, one live line, as a burst of appends leaves it.
    const fd = openSync(path, 'w');
    for (let version = 0; version < 72; version++) {
      writeSync(fd, `${JSON.stringify({ _id: 'e', version, blob: 'x'.repeat(8 * 1024 * 1024) })}\n`);
    }
    closeSync(fd);
    const { file, docs } = await RecordFile.open(path);
    assert.deepEqual(
      docs.map((d) => [d._id, d.version]),
      [['e', 71]],
    );
    // Superseded lines are left to the periodic compaction: a hub's start does not wait for it.
    assert.ok(statSync(path).size > 512 * 1024 * 1024, 'not rewritten on open');
    await file.compactIfWasteful();
    await file.close();
    assert.equal(lines(path).length, 1, 'compacted to the live line');
  });

  it('lets appends go on while it copies, and keeps what they wrote meanwhile', async () => {
    const path = join(dir, 'pods.db');
    const { file } = await RecordFile.open(path);
    const blob = 'x'.repeat(64 * 1024);
    for (let round = 0; round < 2; round++) {
      await file.append(Array.from({ length: 400 }, (_, i) => ({ _id: `p${i}`, round, blob })));
    }
    const order: string[] = [];
    const compaction = file.compactIfWasteful().then(() => order.push('compacted'));
    // Before, every append waited for the whole copy (seconds for a big pods file).
    const appended = (async () => {
      await file.append([{ _id: 'p1', round: 7 }]);
      await file.append([{ _id: 'p2', $$deleted: true }]);
      await file.append([{ _id: 'new', round: 7 }]);
      order.push('appended');
    })();
    await Promise.all([compaction, appended]);
    assert.deepEqual(order, ['appended', 'compacted']);
    await file.append([{ _id: 'p3', round: 8 }]);
    await file.compactIfWasteful();
    await file.close();
    const { file: reopened, docs } = await RecordFile.open(path);
    await reopened.close();
    const byId = new Map(docs.map((d) => [d._id, d]));
    assert.equal(docs.length, 400);
    assert.equal(byId.get('p1')?.round, 7);
    assert.equal(byId.has('p2'), false);
    assert.equal(byId.get('new')?.round, 7);
    assert.equal(byId.get('p3')?.round, 8);
    assert.equal(byId.get('p4')?.round, 1);
    assert.equal(lines(path).length, 400);
  });
});
