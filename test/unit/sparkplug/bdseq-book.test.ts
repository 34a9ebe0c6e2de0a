import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../api/logger.js';
import { BdSeqBook } from '../../../hub/sparkplug/bdseq-book.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { tempDir } from '../../helpers/hub-process.js';

describe('BdSeqBook: bdSeq per edge node, across restarts', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('bdseq');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts at 0 and counts each new connection of an edge node on its own', () => {
    const book = new BdSeqBook(join(dir, 'b.json'), silentLogger);
    assert.deepEqual([book.next('a'), book.next('a'), book.next('b'), book.next('a')], [0, 1, 0, 2]);
  });

  it('goes on from the saved number after a restart, wrapping after 255', () => {
    const path = join(dir, 'b.json');
    writeFileSync(path, JSON.stringify({ a: 254 }));
    const book = new BdSeqBook(path, silentLogger);
    assert.deepEqual([book.next('a'), book.next('a')], [255, 0]);
    book.flush();
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { a: 0 });
    assert.equal(new BdSeqBook(path, silentLogger).next('a'), 1);
  });

  it('starts again, saying so, when the file is not JSON', () => {
    const path = join(dir, 'b.json');
    writeFileSync(path, '{');
    const lines: string[] = [];
    assert.equal(new BdSeqBook(path, captureLogger(lines)).next('a'), 0);
    assert.match(lines[0] ?? '', /b\.json is not JSON/);
  });
});
