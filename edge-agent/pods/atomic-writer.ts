// Writes a set of files into a volume directory so that a container never sees a half-updated
// set, like the kubelet's AtomicWriter: the files live in a hidden `..<content hash>` directory,
// `..data` is a symlink to it, and each visible top-level entry is a symlink through `..data`.
// An update writes a new hidden directory and renames a fresh symlink over `..data` (rename(2)
// is atomic), then fixes the visible links and deletes the old directory. Content addressing
// makes a rewrite of unchanged content a no-op, even after an agent restart.
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface VolumeFile {
  /** Relative path, e.g. `app.conf` or `sub/dir/key`. */
  path: string;
  content: Buffer;
  mode: number;
}

const DATA_LINK = '..data';

function contentHash(files: VolumeFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash
      .update(file.path)
      .update('\0')
      .update(String(file.mode))
      .update('\0')
      .update(file.content)
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function readLinkOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readlink(path);
  } catch {
    return undefined;
  }
}

/** Rejects paths that would escape the volume (`..`, absolute) as the API server does. */
function checkPath(path: string): void {
  if (path === '' || path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`invalid volume file path '${path}'`);
  }
}

/** Returns true when the directory changed. */
export async function writeAtomically(dir: string, files: VolumeFile[]): Promise<boolean> {
  for (const file of files) checkPath(file.path);
  const version = `..${contentHash(files)}`;
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const current = await readLinkOrUndefined(join(dir, DATA_LINK));
  if (current === version) return false;
  const staging = join(dir, version);
  await rm(staging, { recursive: true, force: true });
  for (const file of files) {
    const target = join(staging, file.path);
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, file.content);
    await chmod(target, file.mode);
  }
  await mkdir(staging, { recursive: true, mode: 0o755 });
  const tmpLink = join(dir, `${DATA_LINK}_tmp`);
  await rm(tmpLink, { force: true });
  await symlink(version, tmpLink);
  await rename(tmpLink, join(dir, DATA_LINK));
  await linkTopLevel(dir, new Set(files.map((f) => f.path.split('/')[0] ?? f.path)));
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('..') && entry !== DATA_LINK && entry !== version) {
      await rm(join(dir, entry), { recursive: true, force: true });
    }
  }
  return true;
}

async function linkTopLevel(dir: string, names: Set<string>): Promise<void> {
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('..') || names.has(entry)) continue;
    const stat = await lstat(join(dir, entry));
    if (stat.isSymbolicLink()) await rm(join(dir, entry));
  }
  for (const name of names) {
    const link = join(dir, name);
    const target = join(DATA_LINK, name);
    if ((await readLinkOrUndefined(link)) === target) continue;
    await rm(link, { force: true, recursive: true });
    await symlink(target, link);
  }
}
