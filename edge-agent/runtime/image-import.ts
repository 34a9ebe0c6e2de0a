// Loads an OCI or docker image tar into containerd's k8s.io namespace (the one CRI reads), for
// sites without a registry. ctr takes ~0.1 s per small image. The tar must name its images with
// fully qualified references (docker.io/x/y:1): ctr stores names verbatim, while CRI normalises
// the names it is asked for, so `x/y:1` would be imported but never found (firmware-notes/host-runtime.md §1).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findExecutable } from './find-executable.js';

export interface ImportOptions {
  timeoutMs?: number;
}

/** Returns ctr's output (one line per imported image). */
export function importImageTar(
  containerdAddress: string,
  tarPath: string,
  { timeoutMs = 120_000 }: ImportOptions = {},
): Promise<string> {
  const ctr = findExecutable('ctr');
  if (!ctr) return Promise.reject(new Error('ctr not found: install containerd to import image tars'));
  const address = containerdAddress.replace(/^unix:\/\//, '');
  const args = ['--address', address, '-n', 'k8s.io', 'images', 'import', tarPath];
  return new Promise((resolve, reject) => {
    execFile(ctr, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ctr images import ${tarPath} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Imports an image tar held in memory, through a scratch file in `scratchDir` (removed after). */
export async function importImageBuffer(
  containerdAddress: string,
  tar: Buffer,
  scratchDir: string,
): Promise<string> {
  const file = join(scratchDir, `import-${randomBytes(6).toString('hex')}.tar`);
  await writeFile(file, tar, { mode: 0o600 });
  try {
    return await importImageTar(containerdAddress, file);
  } finally {
    await rm(file, { force: true });
  }
}
