// Locates a program the way a shell would, plus the sbin directories that a service's PATH
// often lacks (Debian installs runc and ip in /usr/sbin).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const SYSTEM_BIN_DIRS = [
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
];

export function searchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  return [...new Set([...fromEnv, ...SYSTEM_BIN_DIRS])];
}

export function findExecutable(name: string, dirs: string[] = searchPath()): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
