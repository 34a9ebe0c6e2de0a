// The fuzzed hub's data dir: in memory (/dev/shm) where there is one. The suite is about what
// the hub does with its input, and a shared CI disk's fsync latency (the store's compaction
// syncs) would otherwise decide its run time.
import { existsSync, mkdtempSync } from 'node:fs';
import { tempDir } from '../helpers/hub-process.js';

export function fuzzDataDir(): string {
  return existsSync('/dev/shm') ? mkdtempSync('/dev/shm/flotilla-fuzz-') : tempDir('fuzz');
}
