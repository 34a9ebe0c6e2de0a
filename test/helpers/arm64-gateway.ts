// An arm64 gateway on this x86-64 machine, under qemu user emulation (binfmt_misc): the agent
// runs on Node.js for arm64, its containerd and ctr are Debian's arm64 builds (so containerd's
// platform is arm64: ctr imports, and CRI runs, the arm64 manifest of a multi-arch image) and its
// containers are arm64 programs, which the kernel hands to qemu through the binfmt registration's
// F flag (no qemu inside the container). Three parts stay the host's: containerd-shim-runc-v2 and
// runc (qemu-user 7.2 refuses the shim's prctl(PR_SET_CHILD_SUBREAPER) with EINVAL, so an arm64
// shim cannot start), and the CNI plugins (arm64 builds work, but emulated they more than double
// a sandbox's set-up time). .ci/arm64-gateway installs and downloads what this needs.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from '../../edge-agent/runtime/find-executable.js';
import { flotillaBin } from './hub-process.js';
import { arm64TestImages, busyboxFromDeb } from './images/arm64-images.js';
import type { GatewayPlatform } from './test-gateway-runtime.js';

const run = promisify(execFile);

/** Where .ci/arm64-gateway puts the arm64 Node, containerd and busybox-static package. */
export const ARM64_DIR = process.env.FLOTILLA_ARM64_DIR ?? '/var/cache/flotilla-test/arm64';
const NODE_VERSION = '20.20.2';
const BINFMT_ENTRY = '/proc/sys/fs/binfmt_misc/qemu-aarch64';
const SETUP_HINT = 'run .ci/arm64-gateway as root';

const nodeBinary = join(ARM64_DIR, `node-v${NODE_VERSION}`, 'bin', 'node');
const containerdDir = join(ARM64_DIR, 'containerd', 'usr', 'bin');

function busyboxDeb(): string | undefined {
  const debs = join(ARM64_DIR, 'debs');
  const name = existsSync(debs)
    ? readdirSync(debs).find((file) => /^busybox-static_.*_arm64\.deb$/.test(file))
    : undefined;
  return name && join(debs, name);
}

/** Why this machine cannot emulate an arm64 gateway, or undefined when it can. */
export function missingArm64Prerequisite(): string | undefined {
  let binfmt = '';
  try {
    binfmt = readFileSync(BINFMT_ENTRY, 'utf8');
  } catch {
    return `qemu-aarch64 is not registered with binfmt_misc (${BINFMT_ENTRY}): ${SETUP_HINT}`;
  }
  if (!/^enabled$/m.test(binfmt)) return `qemu-aarch64 binfmt registration is disabled: ${SETUP_HINT}`;
  if (!/^flags: \S*F/m.test(binfmt))
    return 'qemu-aarch64 is registered without the F flag: arm64 programs in containers cannot find qemu';
  if (!existsSync('/lib/ld-linux-aarch64.so.1')) return `libc6:arm64 not installed: ${SETUP_HINT}`;
  if (!existsSync(nodeBinary)) return `no arm64 Node.js at ${nodeBinary}: ${SETUP_HINT}`;
  for (const program of ['containerd', 'ctr']) {
    if (!existsSync(join(containerdDir, program)))
      return `no arm64 ${program} in ${containerdDir}: ${SETUP_HINT}`;
  }
  if (!busyboxDeb()) return `no busybox-static arm64 package in ${join(ARM64_DIR, 'debs')}: ${SETUP_HINT}`;
  if (!existsSync(flotillaBin)) return `${flotillaBin} is missing: run "npm run build" first`;
  return undefined;
}

/**
 * The gateway's bin directory: the arm64 containerd and ctr, and links to the host's shim, runc and
 * nsenter. ManagedContainerd puts the directory of the program it starts first in containerd's
 * PATH, and with a netns that program is nsenter: with nsenter here too, containerd finds this
 * directory's programs first.
 */
function gatewayBinDir(): string {
  const dir = join(tmpdir(), 'flotilla-arm64-gateway-bin');
  mkdirSync(dir, { recursive: true });
  const links: Record<string, string | undefined> = {
    containerd: join(containerdDir, 'containerd'),
    ctr: join(containerdDir, 'ctr'),
    'containerd-shim-runc-v2': findExecutable('containerd-shim-runc-v2'),
    runc: findExecutable('runc'),
    nsenter: findExecutable('nsenter'),
  };
  for (const [name, target] of Object.entries(links)) {
    if (!target) throw new Error(`${name} not found for the arm64 gateway`);
    try {
      symlinkSync(target, join(dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return dir;
}

/** Debian's busybox-static for arm64 (a static executable). */
export function arm64Busybox(): Promise<Buffer> {
  const deb = busyboxDeb();
  if (!deb) throw new Error(missingArm64Prerequisite());
  return busyboxFromDeb(deb);
}

/** An emulated arm64 gateway's platform; check missingArm64Prerequisite() first. */
export function arm64Platform(): GatewayPlatform {
  const binDir = gatewayBinDir();
  const deb = busyboxDeb();
  if (!deb) throw new Error(missingArm64Prerequisite());
  return {
    arch: 'arm64',
    nodeBinary,
    binDir,
    images: () => arm64TestImages(deb),
    // With the gateway's own (arm64) ctr, which takes the arm64 variant of a multi-arch image.
    // (`flotilla agent image import` runs the same ctr; on the emulated Node it first spends some
    // 15 s of CPU loading the CLI.)
    importImages: async (endpoint, tars) => {
      const address = endpoint.replace(/^unix:\/\//, '');
      for (const tar of tars) {
        await run(join(binDir, 'ctr'), ['--address', address, '-n', 'k8s.io', 'images', 'import', tar], {
          timeout: 120_000,
        });
      }
    },
  };
}
