// Test images built on the machine, no registry needed: the agent's own built-in pause image (so
// every real-container test runs pods on the sandbox image air-gapped gateways get) and a busybox
// from the host's busybox-static, each a one-layer OCI layout tar. Built tars are cached under
// <tmpdir>/flotilla-test-images, keyed by a hash of everything that goes into them.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  builtinPauseImageTar,
  builtinPauseRef,
} from '../../../edge-agent/runtime/images/builtin-pause-image.js';
import { ociImageTar, ociPlatform } from '../../../edge-agent/runtime/images/oci-image.js';
import { type TarEntry, tarArchive } from '../../../edge-agent/runtime/images/tar-writer.js';

export const TEST_PAUSE_REF = builtinPauseRef;
export const TEST_BUSYBOX_REF = 'docker.io/flotilla/busybox:1';
export const BUSYBOX_PATH = '/bin/busybox';
export const CACHE_DIR = join(tmpdir(), 'flotilla-test-images');

/** Bumped when the image layout changes, so that cached tars are rebuilt. */
const BUILDER_VERSION = '1';

export const BUSYBOX_APPLETS = [
  'sh',
  'ash',
  'httpd',
  'tar',
  'sha256sum',
  'sleep',
  'wget',
  'nc',
  'cat',
  'echo',
  'ls',
  'env',
  'true',
  'false',
  'hostname',
  'id',
  'ps',
  'kill',
  'timeout',
  'mkdir',
  'rm',
  'touch',
  'printf',
  'test',
  'grep',
  'head',
  'tail',
  'date',
  'uname',
  'seq',
  'tee',
  'pwd',
  'sed',
  'awk',
  'wc',
  'ip',
  'ifconfig',
  'ping',
  'nslookup',
  'mount',
  'df',
  'expr',
  'xargs',
  'cut',
  'sort',
  'tr',
  'stat',
  'readlink',
  'dd',
  'yes',
  'top',
  'netstat',
];

export async function buildPauseImage(outTar: string): Promise<void> {
  await writeFile(outTar, builtinPauseImageTar());
}

function busyboxLayer(busybox: Buffer): Buffer {
  const dirs = ['bin', 'dev', 'etc', 'proc', 'root', 'sys', 'usr', 'usr/bin', 'var', 'var/www'];
  const entries: TarEntry[] = [
    ...dirs.map((path): TarEntry => ({ type: 'dir', path })),
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'file', path: 'bin/busybox', data: busybox, mode: 0o755 },
    ...BUSYBOX_APPLETS.map(
      (applet): TarEntry => ({ type: 'symlink', path: `bin/${applet}`, target: 'busybox' }),
    ),
    {
      type: 'file',
      path: 'etc/passwd',
      data: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n'),
    },
    { type: 'file', path: 'etc/group', data: Buffer.from('root:x:0:\nnogroup:x:65534:\n') },
    { type: 'file', path: 'var/www/index.html', data: Buffer.from('flotilla busybox\n') },
  ];
  return tarArchive(entries);
}

/** A busybox image of `busybox` (a static binary) built for `arch` (Node's name: x64, arm64, arm). */
export function busyboxImageTar(busybox: Buffer, ref: string, arch: string = process.arch): Buffer {
  return ociImageTar({ ref, layer: busyboxLayer(busybox), cmd: ['sh'], platform: ociPlatform(arch) });
}

export async function buildBusyboxImage(outTar: string, ref: string = TEST_BUSYBOX_REF): Promise<void> {
  await writeFile(outTar, busyboxImageTar(await readFile(BUSYBOX_PATH), ref));
}

export interface TestImage {
  ref: string;
  tar: string;
}

/** A tar under CACHE_DIR built by `build` once per distinct `inputs` (and this machine's platform). */
export async function cached(
  name: string,
  inputs: (string | Buffer)[],
  build: (outTar: string) => Promise<void>,
): Promise<string> {
  const hash = createHash('sha256');
  for (const input of [BUILDER_VERSION, JSON.stringify(ociPlatform()), ...inputs])
    hash.update(input).update('\0');
  const tar = join(CACHE_DIR, `${name}-${hash.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(tar)) return tar;
  await mkdir(CACHE_DIR, { recursive: true });
  const partial = `${tar}.${process.pid}.partial`;
  await build(partial);
  await rename(partial, tar); // atomic: concurrent builders never see a half-written tar
  return tar;
}

/** The pause and busybox image tars, built on first use. */
export async function testImages(): Promise<{ pause: TestImage; busybox: TestImage }> {
  const busybox = await readFile(BUSYBOX_PATH);
  const pause = await cached('pause', [builtinPauseImageTar()], buildPauseImage);
  const box = await cached('busybox', [TEST_BUSYBOX_REF, busybox, BUSYBOX_APPLETS.join(',')], (out) =>
    buildBusyboxImage(out, TEST_BUSYBOX_REF),
  );
  return { pause: { ref: TEST_PAUSE_REF, tar: pause }, busybox: { ref: TEST_BUSYBOX_REF, tar: box } };
}
