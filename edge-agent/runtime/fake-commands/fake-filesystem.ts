// A fake container's filesystem: its own root in memory (what the image and the process wrote),
// with the container's mounts on the gateway's disk as in a real container, so an emptyDir
// written by one container is read by the next. Enough for the fake commands (cat, touch, rm,
// mkdir, ls, test, redirections) and for `kubectl cp` through tar.
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Mount } from '../container-runtime.js';

export interface FakeStat {
  kind: 'file' | 'dir';
  size: number;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
}

interface MemoryNode extends FakeStat {
  data: Buffer;
}

/** A failure with the errno text busybox prints (`No such file or directory`). */
export class FsError extends Error {}

const ENOENT = 'No such file or directory';
const BASE_DIRS = ['/', '/bin', '/dev', '/etc', '/home', '/proc', '/root', '/tmp', '/usr', '/var'];

export class FakeFilesystem {
  private readonly nodes = new Map<string, MemoryNode>();

  constructor(
    private readonly mounts: Mount[] = [],
    private readonly now: () => number = Date.now,
  ) {
    for (const dir of BASE_DIRS) this.nodes.set(dir, this.node('dir', 0o755));
  }

  async stat(path: string): Promise<FakeStat | undefined> {
    const host = this.onHost(path);
    if (host === undefined) return this.nodes.get(posix.normalize(path));
    const found = await lstat(host.path).catch(() => undefined);
    if (!found) return undefined;
    const kind = found.isDirectory() ? 'dir' : 'file';
    return { kind, size: found.size, mode: found.mode & 0o7777, mtime: Math.floor(found.mtimeMs / 1000) };
  }

  async read(path: string): Promise<Buffer> {
    const stat = await this.stat(path);
    if (!stat) throw new FsError(ENOENT);
    if (stat.kind === 'dir') throw new FsError('Is a directory');
    const host = this.onHost(path);
    return host ? readFile(host.path) : (this.nodes.get(posix.normalize(path))?.data ?? Buffer.alloc(0));
  }

  async write(path: string, data: Buffer, options: { append?: boolean; mode?: number } = {}): Promise<void> {
    const parent = await this.stat(posix.dirname(path));
    if (parent?.kind !== 'dir') throw new FsError(ENOENT);
    if ((await this.stat(path))?.kind === 'dir') throw new FsError('Is a directory');
    const host = this.writableOnHost(path);
    const before = options.append ? await this.read(path).catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
    const content = Buffer.concat([before, data]);
    if (host !== undefined) return writeFile(host, content, { mode: options.mode ?? 0o644 });
    const existing = this.nodes.get(posix.normalize(path));
    this.nodes.set(posix.normalize(path), {
      ...this.node('file', options.mode ?? existing?.mode ?? 0o644),
      data: content,
      size: content.length,
    });
  }

  /** Like `mkdir -p` when `parents`; an existing directory is fine either way. */
  async mkdir(path: string, parents = false): Promise<void> {
    const normal = posix.normalize(path);
    const existing = await this.stat(normal);
    if (existing?.kind === 'dir') return;
    if (existing) throw new FsError('File exists');
    const parent = await this.stat(posix.dirname(normal));
    if (parent?.kind !== 'dir') {
      if (!parents) throw new FsError(ENOENT);
      await this.mkdir(posix.dirname(normal), true);
    }
    const host = this.writableOnHost(normal);
    if (host !== undefined) await mkdir(host);
    else this.nodes.set(normal, this.node('dir', 0o755));
  }

  async remove(path: string, recursive: boolean): Promise<void> {
    const normal = posix.normalize(path);
    const stat = await this.stat(normal);
    if (!stat) throw new FsError(ENOENT);
    if (stat.kind === 'dir' && !recursive) throw new FsError('Is a directory');
    const host = this.writableOnHost(normal);
    if (host !== undefined) return rm(host, { recursive: true, force: true });
    for (const key of this.nodes.keys()) {
      if (key === normal || key.startsWith(`${normal}/`)) this.nodes.delete(key);
    }
  }

  /** The names in a directory, sorted. */
  async list(path: string): Promise<string[]> {
    const normal = posix.normalize(path);
    const host = this.onHost(normal);
    const names = new Set<string>(host ? await readdir(host.path).catch(() => []) : []);
    const prefix = normal === '/' ? '/' : `${normal}/`;
    for (const key of this.nodes.keys()) {
      if (key !== normal && key.startsWith(prefix) && !key.slice(prefix.length).includes('/'))
        names.add(key.slice(prefix.length));
    }
    for (const mount of this.mounts) {
      if (posix.dirname(mount.containerPath) === normal) names.add(posix.basename(mount.containerPath));
    }
    return [...names].sort();
  }

  /** Sets a file's or directory's modification time (tar -x without -m). */
  touch(path: string, mtime: number): void {
    const node = this.nodes.get(posix.normalize(path));
    if (node) node.mtime = mtime;
  }

  private node(kind: 'file' | 'dir', mode: number): MemoryNode {
    return { kind, size: 0, mode, mtime: Math.floor(this.now() / 1000), data: Buffer.alloc(0) };
  }

  /** The host path behind `path` when a mount covers it (the longest mount path wins). */
  private onHost(path: string): { path: string; mount: Mount } | undefined {
    const normal = posix.normalize(path);
    const mount = this.mounts
      .filter((m) => normal === m.containerPath || normal.startsWith(`${m.containerPath}/`))
      .sort((a, b) => b.containerPath.length - a.containerPath.length)[0];
    if (!mount) return undefined;
    return { path: posix.join(mount.hostPath, normal.slice(mount.containerPath.length)), mount };
  }

  private writableOnHost(path: string): string | undefined {
    const host = this.onHost(path);
    if (host?.mount.readonly) throw new FsError('Read-only file system');
    return host?.path;
  }
}
