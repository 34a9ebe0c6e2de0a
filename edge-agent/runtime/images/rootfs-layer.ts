// A directory tree as an image layer: every regular file, directory and symlink under the root,
// in sorted order, owned by root, with its permission bits — so the same tree always gives the
// same layer (and digest). Anything else (devices, sockets, FIFOs) is refused, naming the path:
// a container's /dev is the runtime's to make.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { TarEntry } from './tar-writer.js';

export class RootfsError extends Error {
  override name = 'RootfsError';
}

export function rootfsEntries(root: string): TarEntry[] {
  const entries: TarEntry[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      const stat = lstatSync(join(root, path));
      const mode = stat.mode & 0o7777;
      if (stat.isSymbolicLink())
        entries.push({ type: 'symlink', path, target: readlinkSync(join(root, path)) });
      else if (stat.isDirectory()) {
        entries.push({ type: 'dir', path, mode });
        walk(path);
      } else if (stat.isFile())
        entries.push({ type: 'file', path, data: readFileSync(join(root, path)), mode });
      else throw new RootfsError(`${join(root, path)}: not a file, directory or symlink`);
    }
  };
  walk('');
  return entries;
}
