// The hub's data directory: created on first start (0700, and tightened on every start), checked
// for write access, and locked so two hubs never open the same store files.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirError extends Error {
  override name = 'DataDirError';
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates (if needed) and locks `dir`; returns a function that releases the lock. */
export function prepareDataDir(dir: string): () => void {
  const probe = join(dir, '.write-test');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700); // it holds keys and the store: installs from before were 0755
    writeFileSync(probe, 'ok');
  } catch (err) {
    throw new DataDirError(`cannot use data dir ${dir}: ${(err as Error).message}`);
  } finally {
    // A full disk fails the write after creating the file: leave nothing behind. (When `dir` is
    // unusable, e.g. under a file, there is nothing to remove and rmSync would say ENOTDIR.)
    try {
      rmSync(probe, { force: true });
    } catch {}
  }
  const lock = join(dir, 'hub.lock');
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(holder) && holder !== process.pid && pidAlive(holder)) {
      throw new DataDirError(`cannot use data dir ${dir}: it is in use by another hub (pid ${holder})`);
    }
    writeFileSync(lock, String(process.pid));
  }
  return () => rmSync(lock, { force: true });
}

export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function writeSecretFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
}
