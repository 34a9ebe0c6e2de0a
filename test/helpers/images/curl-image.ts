// A test image with the host's curl and the shared libraries it loads (as `ldd` lists them, at
// the same paths), plus busybox for `sh` and `sleep`: a pod that talks HTTPS the way an operator's
// script would, with --cacert and a bearer token. Built once per host curl and cached like the
// other test images. The libraries are the host's, so the image runs on this architecture only.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from '../../../edge-agent/runtime/find-executable.js';
import { ociImageTar } from '../../../edge-agent/runtime/images/oci-image.js';
import { type TarEntry, tarArchive } from '../../../edge-agent/runtime/images/tar-writer.js';
import { BUSYBOX_PATH, CACHE_DIR } from './test-images.js';

const run = promisify(execFile);
export const TEST_CURL_REF = 'docker.io/flotilla/curl:1';
const libraryDirs =
  '/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib/aarch64-linux-gnu:/usr/lib/aarch64-linux-gnu';

/** Why the curl image cannot be built here, or undefined. */
export function missingCurl(): string | undefined {
  return findExecutable('curl') ? undefined : 'curl not installed';
}

/** The libraries curl loads and its program interpreter, as absolute paths. */
async function curlLibraries(curl: string): Promise<string[]> {
  const { stdout } = await run('ldd', [curl]);
  const paths = new Set<string>();
  for (const line of stdout.split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match) paths.add(match[1]!);
  }
  return [...paths].sort();
}

export async function curlImage(): Promise<{ ref: string; tar: string }> {
  const curl = findExecutable('curl')!;
  const libraries = await curlLibraries(curl);
  const files = new Map<string, Buffer>([
    [BUSYBOX_PATH, await readFile(BUSYBOX_PATH)],
    [curl, await readFile(curl)],
  ]);
  for (const lib of libraries) files.set(lib, await readFile(lib));
  const hash = createHash('sha256').update(TEST_CURL_REF);
  for (const [path, data] of files) hash.update(path).update(data);
  const tar = join(CACHE_DIR, `curl-${hash.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(tar)) return { ref: TEST_CURL_REF, tar };
  const dirs = new Set<string>(['bin', 'tmp', 'etc', 'var', 'var/run', 'usr', 'usr/bin']);
  for (const path of files.keys()) {
    for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) dirs.add(dir.slice(1));
  }
  const entries: TarEntry[] = [
    ...[...dirs].sort().map((path): TarEntry => ({ type: 'dir', path })),
    ...[...files].map(([path, data]): TarEntry => ({ type: 'file', path: path.slice(1), data, mode: 0o755 })),
    ...['sh', 'sleep', 'cat', 'echo'].map(
      (applet): TarEntry => ({ type: 'symlink', path: `bin/${applet}`, target: 'busybox' }),
    ),
    { type: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\n') },
  ];
  const image = ociImageTar({
    ref: TEST_CURL_REF,
    layer: tarArchive(entries),
    cmd: ['sh'],
    env: ['PATH=/usr/bin:/bin', `LD_LIBRARY_PATH=${libraryDirs}`],
  });
  await mkdir(CACHE_DIR, { recursive: true });
  const partial = `${tar}.${process.pid}.partial`;
  await writeFile(partial, image);
  await rename(partial, tar);
  return { ref: TEST_CURL_REF, tar };
}
