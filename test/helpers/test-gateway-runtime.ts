// A real container runtime for e2e tests: an emulated gateway (netns) running its own managed
// containerd with the test images imported, and the CRI client talking to it. Tests that need
// one call skipUnlessRuntimeHost() in a before hook: on a machine that cannot run containers
// the suite is skipped with the reason printed once; with CI set it fails instead, so that CI
// never skips real-runtime tests silently.
import { execFile } from 'node:child_process';
import { existsSync, realpathSync, rmdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Logger, silentLogger } from '../../api/logger.js';
import { findCniBinDir } from '../../edge-agent/runtime/containerd-config.js';
import { CriRuntime } from '../../edge-agent/runtime/cri-runtime.js';
import { findExecutable, searchPath } from '../../edge-agent/runtime/find-executable.js';
import { processesWithArg, terminate } from '../../edge-agent/runtime/host-processes.js';
import { importImageTar } from '../../edge-agent/runtime/image-import.js';
import {
  cgroupMountPoints,
  deleteRuncContainers,
  removeCgroupTree,
  unmountUnder,
} from '../../edge-agent/runtime/instance-cleanup.js';
import { ManagedContainerd } from '../../edge-agent/runtime/managed-containerd.js';
import { createGatewayNetns, destroyGatewayNetns, type GatewayNetns } from './gateway-netns.js';
import { BUSYBOX_PATH, type TestImage, testImages } from './images/test-images.js';

const CGROUP_PARENT = '/flotilla-test';
const run = promisify(execFile);

/** Why this machine cannot run the real-runtime tests, or undefined when it can. */
export function missingRuntimePrerequisite(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not running as root';
  for (const program of ['containerd', 'containerd-shim-runc-v2', 'ctr', 'runc', 'nsenter', 'ip']) {
    if (!findExecutable(program)) return `${program} not installed`;
  }
  if (!findCniBinDir()) return 'CNI plugins not installed (containernetworking-plugins)';
  if (!existsSync(BUSYBOX_PATH)) return 'busybox-static not installed';
  return undefined;
}

const reported = new Set<string>();

export function skipUnlessRuntimeHost(ctx: Mocha.Context): void {
  const missing = missingRuntimePrerequisite();
  if (!missing) return;
  if (process.env.CI) throw new Error(`real-runtime tests cannot run in CI: ${missing}`);
  if (!reported.has(missing)) {
    reported.add(missing);
    console.log(`      skipped: ${missing}`);
  }
  ctx.skip();
}

/**
 * A gateway of another architecture, emulated on this machine (test/helpers/arm64-gateway.ts):
 * its programs, its images and how images get into its containerd.
 */
export interface GatewayPlatform {
  /** kubernetes.io/arch of the gateway (GOARCH: arm64). */
  arch: string;
  /** The Node.js the gateway's agent runs on. */
  nodeBinary: string;
  /** Searched first for containerd, ctr, the shim, runc and nsenter, and first in their PATH. */
  binDir: string;
  /** The sandbox (pause) and busybox images for this architecture. */
  images(): Promise<{ pause: TestImage; busybox: TestImage }>;
  /** Loads image tars into the gateway's containerd at `endpoint` (unix://…), as its operator would. */
  importImages(endpoint: string, tars: string[]): Promise<void>;
}

export interface TestGatewayRuntime {
  gateway: GatewayNetns;
  /** Set for an emulated gateway of another architecture. */
  platform: GatewayPlatform | undefined;
  containerd: ManagedContainerd;
  cri: CriRuntime;
  dataDir: string;
  pauseImage: string;
  busyboxImage: string;
  /** The cgroupfs subtree of this gateway's pods; purge() removes it. */
  cgroupRoot: string;
  /** Loads image tars into this gateway's containerd (with its own ctr on an emulated gateway). */
  importImages(tars: string[]): Promise<void>;
  /** Purges containerd and removes the netns and the data dir; safe to call twice. */
  teardown(): Promise<void>;
  /**
   * A power cut and boot: containerd, its shims and every container killed at once, the state a
   * reboot loses (containerd's state dir and runc's, which live on tmpfs on a gateway, pod
   * network namespaces, the CNI bridge) gone; images and snapshots kept. Then containerd starts
   * again, empty of containers. `containerd` and `cri` are replaced.
   */
  reboot(): Promise<void>;
}

async function importWithHostCtr(endpoint: string, tars: string[]): Promise<void> {
  for (const tar of tars) await importImageTar(endpoint, tar);
}

export async function startTestGatewayRuntime(
  name: string,
  log: Logger = silentLogger,
  platform?: GatewayPlatform,
): Promise<TestGatewayRuntime> {
  const images = platform ? await platform.images() : await testImages();
  const importImages = platform?.importImages ?? importWithHostCtr;
  const dataDir = await mkdtemp(join(tmpdir(), `flotilla-${name}-`));
  const cgroupRoot = `${CGROUP_PARENT}/${name}-${process.pid}`;
  const gateway = await createGatewayNetns(name);
  const containerdOptions = {
    dataDir,
    pauseImage: images.pause.ref,
    podCidr: gateway.podCidr,
    netns: gateway.netnsPath,
    cgroupRoot,
    log,
    ...(platform ? { binDirs: [platform.binDir, ...searchPath()], readyTimeoutMs: 60_000 } : {}),
  };
  let containerd = new ManagedContainerd(containerdOptions);
  let cri: CriRuntime | undefined;
  let tornDown = false;
  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    cri?.close();
    await containerd.purge();
    removeEmptyCgroupParent();
    await destroyGatewayNetns(gateway);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await containerd.start();
    await importImages(containerd.endpoint, [images.pause.tar, images.busybox.tar]);
    cri = new CriRuntime(containerd.endpoint, { timeoutMs: platform ? 60_000 : 20_000 });
    const runtime: TestGatewayRuntime = {
      gateway,
      platform,
      containerd,
      cri,
      dataDir,
      pauseImage: images.pause.ref,
      busyboxImage: images.busybox.ref,
      cgroupRoot,
      importImages: (tars) => importImages(containerd.endpoint, tars),
      teardown,
      reboot: async () => {
        cri?.close();
        await powerCut(containerd, gateway.netnsName, cgroupRoot);
        containerd = new ManagedContainerd(containerdOptions);
        await containerd.start();
        cri = new CriRuntime(containerd.endpoint, { timeoutMs: 20_000 });
        runtime.containerd = containerd;
        runtime.cri = cri;
      },
    };
    return runtime;
  } catch (error) {
    await teardown();
    throw error;
  }
}

/** Kills every process of the gateway's runtime at once and drops what lives on tmpfs. */
async function powerCut(containerd: ManagedContainerd, netnsName: string, cgroupRoot: string): Promise<void> {
  const { paths } = containerd;
  const pids = [
    ...processesWithArg('--config', paths.configFile),
    ...processesWithArg('-address', paths.socket),
  ].map(({ pid }) => pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  // The containers' own processes: runc kills and deletes what its (per-instance) root knows.
  const runc = findExecutable('runc');
  if (runc) await deleteRuncContainers(runc, paths.runcRoot);
  await terminate(pids, 0);
  await unmountUnder(existsSync(paths.state) ? realpathSync(paths.state) : paths.state);
  for (const dir of [paths.state, paths.runcRoot]) await rm(dir, { recursive: true, force: true });
  removeCgroupTree(cgroupRoot);
  const links = JSON.parse(
    (await run('ip', ['-n', netnsName, '-j', 'link', 'show', 'type', 'bridge'])).stdout || '[]',
  ) as { ifname: string }[];
  for (const { ifname } of links) await run('ip', ['-n', netnsName, 'link', 'del', ifname]);
}

/** /flotilla-test itself once no gateway's subtree is left in it; rmdir fails while one is. */
function removeEmptyCgroupParent(): void {
  for (const point of cgroupMountPoints()) {
    try {
      rmdirSync(join(point, CGROUP_PARENT));
    } catch {
      // another gateway still uses it, or it was never created in this hierarchy
    }
  }
}
