// The emulated arm64 gateway's images, built on this machine with no registry: the agent's
// built-in sandbox (pause) image for arm64, and a busybox from Debian's busybox-static:arm64
// package (the .deb .ci/arm64-gateway downloads), read straight out of the package's data archive.
// Cached like the host's test images.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { builtinPauseImageTar } from '../../../edge-agent/runtime/images/builtin-pause-image.js';
import { readTar } from './read-tar.js';
import { BUSYBOX_APPLETS, busyboxImageTar, cached, TEST_PAUSE_REF, type TestImage } from './test-images.js';

const run = promisify(execFile);
export const ARM64_BUSYBOX_REF = 'docker.io/flotilla/busybox-arm64:1';

/** bin/busybox out of a busybox-static .deb. */
export async function busyboxFromDeb(deb: string): Promise<Buffer> {
  const { stdout } = await run('dpkg-deb', ['--fsys-tarfile', deb], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  const busybox = readTar(stdout).get('./bin/busybox');
  if (!busybox) throw new Error(`${deb} holds no ./bin/busybox`);
  return Buffer.from(busybox.data);
}

/** The arm64 pause and busybox image tars, built on first use; `deb` is busybox-static:arm64. */
export async function arm64TestImages(deb: string): Promise<{ pause: TestImage; busybox: TestImage }> {
  const pauseTar = builtinPauseImageTar('arm64');
  const pause = await cached('pause-arm64', [pauseTar], (out) => writeFile(out, pauseTar));
  const debBytes = await readFile(deb);
  const busybox = await cached(
    'busybox-arm64',
    [ARM64_BUSYBOX_REF, debBytes, BUSYBOX_APPLETS.join(',')],
    async (out) => writeFile(out, busyboxImageTar(await busyboxFromDeb(deb), ARM64_BUSYBOX_REF, 'arm64')),
  );
  return {
    pause: { ref: TEST_PAUSE_REF, tar: pause },
    busybox: { ref: ARM64_BUSYBOX_REF, tar: busybox },
  };
}
