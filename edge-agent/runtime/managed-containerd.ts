// The agent's own containerd, started and supervised like k3s does when no --runtime-endpoint
// is given. Everything lives under <dataDir>/containerd/ (root, state, sockets, runc root, CNI
// config and IPAM), so several instances can share one machine. With `netns` the daemon is
// started through `nsenter --net=<path>`: only the network namespace changes, mounts stay in
// the host's mount namespace, so cleanup and restarts stay simple (firmware-notes/host-runtime.md §2).
// Pods outlive containerd: a restarted daemon finds its shims and lists the pods as READY.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { backoffDelay } from '../../api/backoff.js';
import { type Logger, silentLogger } from '../../api/logger.js';
import {
  type ContainerdPaths,
  containerdConfigToml,
  containerdPaths,
  findCniBinDir,
  instanceNetworkNames,
  MAX_UNIX_SOCKET_PATH,
  type NetworkNames,
} from './containerd-config.js';
import { CriRuntime } from './cri-runtime.js';
import { findExecutable, searchPath } from './find-executable.js';
import { processesWithArg, terminate } from './host-processes.js';
import {
  deleteRuncContainers,
  removeCgroupTree,
  removeCniResults,
  sandboxIdsOnDisk,
  unmountUnder,
} from './instance-cleanup.js';
import { writeBridgeConflist } from './pod-network.js';
import { RotatingLog } from './rotating-log.js';

export interface ManagedContainerdOptions {
  dataDir: string;
  /** Sandbox (pause) image, fully qualified; see sandbox-image.ts for how the agent picks it. */
  pauseImage: string;
  /** A CNI conf dir written by someone else; default <dataDir>/containerd/cni-conf. */
  cniConfDir?: string | undefined;
  /** Writes a bridge + portmap conflist for this pod CIDR into the instance's conf dir. */
  podCidr?: string | undefined;
  cniBinDir?: string | undefined;
  /** A network namespace path such as /var/run/netns/gw1. */
  netns?: string | undefined;
  /** cgroupfs subtree the agent puts pods under (e.g. /flotilla/gw1); purge() removes it. */
  cgroupRoot?: string | undefined;
  log?: Logger | undefined;
  readyTimeoutMs?: number | undefined;
  logMaxBytes?: number | undefined;
  /** Where to look for containerd, nsenter and runc; default PATH plus the sbin directories. */
  binDirs?: string[] | undefined;
  /** Restart back-off: doubles from `initial` to `max`; reset after a run of 30 s. */
  restartBackoffMs?: { initial: number; max: number } | undefined;
}

const STABLE_RUN_MS = 30_000;

export class ManagedContainerd {
  readonly paths: ContainerdPaths;
  /** unix:// endpoint for CriRuntime. */
  readonly endpoint: string;
  private readonly options: ManagedContainerdOptions;
  private readonly log: Logger;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private failures = 0;
  private startedAt = 0;
  private restartCount = 0;
  private logFile: RotatingLog | undefined;
  private podCidr: string | undefined;
  private pauseImage: string;

  constructor(options: ManagedContainerdOptions) {
    this.options = options;
    this.podCidr = options.podCidr;
    this.pauseImage = options.pauseImage;
    this.paths = containerdPaths(options.dataDir, options.cniConfDir);
    this.endpoint = `unix://${this.paths.socket}`;
    this.log = options.log ?? silentLogger;
  }

  /** The CNI network and bridge of the conflist written for `podCidr`. */
  get network(): NetworkNames | undefined {
    return this.podCidr ? instanceNetworkNames(this.paths.instanceDir) : undefined;
  }

  /**
   * (Re)writes the bridge conflist for `podCidr`, also while containerd runs: it reloads a file
   * written in place within about a second. Answers whether the file changed.
   */
  writePodNetwork(podCidr: string): boolean {
    this.podCidr = podCidr;
    const { paths } = this;
    return writeBridgeConflist(
      {
        ...instanceNetworkNames(paths.instanceDir),
        confDir: paths.cniConfDir,
        ipamDataDir: paths.cniIpamDir,
      },
      podCidr,
    );
  }

  /** The containerd gRPC socket path (ctr --address). */
  get address(): string {
    return this.paths.socket;
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  get restarts(): number {
    return this.restartCount;
  }

  /** The sandbox image containerd runs with. */
  get sandboxImage(): string {
    return this.pauseImage;
  }

  /**
   * Restarts containerd with another sandbox image (it reads sandbox_image only at start). Pods
   * keep running across the restart (firmware-notes/host-runtime.md §1).
   */
  async useSandboxImage(ref: string): Promise<void> {
    if (ref === this.pauseImage) return;
    this.pauseImage = ref;
    await this.stop();
    await this.start();
  }

  async start(): Promise<void> {
    if (this.pid !== undefined) throw new Error(`containerd already running as pid ${this.pid}`);
    const command = this.command();
    this.writeFiles();
    await this.killStale();
    this.stopping = false;
    this.logFile = new RotatingLog(this.paths.logFile, this.options.logMaxBytes);
    try {
      await this.spawnAndWait(command);
    } catch (error) {
      await this.stop(1_000);
      throw error;
    }
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const pid = this.pid;
    if (pid !== undefined) {
      await terminate([pid], graceMs);
      await this.exited;
    }
  }

  /**
   * Leaves nothing behind, in the order of firmware-notes/host-runtime.md §2: CRI stop + remove of every sandbox,
   * containerd, leftover shims (matched by -address <socket>) and their runc containers, mounts
   * under the instance directory, the cgroup subtree, CNI's result cache, the directory itself.
   */
  async purge(): Promise<void> {
    const sandboxIds = sandboxIdsOnDisk(this.paths.root, this.paths.state);
    if (this.pid !== undefined) await this.removeAllSandboxes();
    await this.stop(2_000);
    await this.killStale();
    await terminate(
      processesWithArg('-address', this.paths.socket).map(({ pid }) => pid),
      1_000,
    );
    const runc = findExecutable('runc', this.binDirs());
    if (runc) await deleteRuncContainers(runc, this.paths.runcRoot);
    // mountinfo shows resolved paths: a data dir under a symlink must be matched by its target.
    const { instanceDir: dir } = this.paths;
    const instanceDir = existsSync(dir) ? realpathSync(dir) : dir;
    const stillMounted = await unmountUnder(instanceDir);
    if (stillMounted.length > 0) this.log.info(`still mounted: ${stillMounted.join(', ')}`);
    if (this.options.cgroupRoot) {
      const left = removeCgroupTree(this.options.cgroupRoot);
      if (left.length > 0) this.log.warn(`cgroups not removed: ${left.join(', ')}`);
    }
    const network = this.network;
    removeCniResults(network?.networkName, sandboxIds);
    // In a gateway netns the bridge goes with the netns; on the host it must be deleted.
    if (network && !this.options.netns) {
      await new Promise((done) => execFile('ip', ['link', 'del', network.bridge], done));
    }
    if (stillMounted.length === 0) rmSync(this.paths.instanceDir, { recursive: true, force: true });
  }

  private command(): string[] {
    const containerd = findExecutable('containerd', this.binDirs());
    if (!containerd) throw new Error('containerd not found: install containerd or pass --runtime-endpoint');
    if (Buffer.byteLength(this.paths.ttrpcSocket) > MAX_UNIX_SOCKET_PATH) {
      throw new Error(
        `data dir too long: ${this.paths.ttrpcSocket} exceeds the ${MAX_UNIX_SOCKET_PATH}-byte unix socket limit`,
      );
    }
    if (!this.pauseImage) throw new Error('pauseImage must name the sandbox image');
    const daemon = [containerd, '--config', this.paths.configFile];
    if (!this.options.netns) return daemon;
    const nsenter = findExecutable('nsenter', this.binDirs());
    if (!nsenter) throw new Error('nsenter not found: install util-linux to run containerd in a netns');
    if (!existsSync(this.options.netns)) throw new Error(`netns ${this.options.netns} does not exist`);
    return [nsenter, `--net=${this.options.netns}`, ...daemon];
  }

  private binDirs(): string[] {
    return this.options.binDirs ?? searchPath();
  }

  private writeFiles(): void {
    const { paths } = this;
    for (const dir of [
      paths.root,
      paths.state,
      paths.opt,
      paths.runcRoot,
      paths.cniConfDir,
      paths.cniIpamDir,
    ]) {
      mkdirSync(dir, { recursive: true });
    }
    const cniBinDir = this.options.cniBinDir ?? findCniBinDir();
    if (!cniBinDir) this.log.info('no CNI plugins found (/usr/lib/cni, /opt/cni/bin): host network only');
    writeFileSync(
      paths.configFile,
      containerdConfigToml({
        paths,
        sandboxImage: this.pauseImage,
        cniBinDir: cniBinDir ?? '/opt/cni/bin',
      }),
    );
    // Written in place before containerd starts: 1.6 ignores a conflist renamed into conf_dir.
    if (this.podCidr) this.writePodNetwork(this.podCidr);
  }

  /** A containerd still running on our config (e.g. the agent was killed) is replaced. */
  private async killStale(): Promise<void> {
    const stale = processesWithArg('--config', this.paths.configFile)
      .map(({ pid }) => pid)
      .filter((pid) => pid !== this.pid);
    if (stale.length > 0) {
      this.log.warn(`stopping stale instance ${stale.join(', ')}`);
      await terminate(stale, 5_000);
    }
  }

  private async spawnAndWait(command: string[]): Promise<void> {
    const [program, ...args] = command as [string, ...string[]];
    const binDirs = [dirname(program), ...searchPath()];
    const child = spawn(program, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: [...new Set(binDirs)].join(':') },
    });
    this.child = child;
    this.startedAt = Date.now();
    const logFile = this.logFile;
    child.stdout?.on('data', (chunk: Buffer) => logFile?.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => logFile?.write(chunk));
    let exitInfo = '';
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        exitInfo = signal ? `signal ${signal}` : `code ${code}`;
        resolve();
        this.onExit(child, exitInfo);
      });
      child.once('error', (error) => {
        exitInfo = error.message;
        resolve();
      });
    });
    this.log.info(`started pid ${child.pid} (${this.paths.configFile})`);
    const probe = new CriRuntime(this.endpoint, { timeoutMs: 5_000 });
    try {
      const ready = probe.waitReady(this.options.readyTimeoutMs ?? 20_000);
      const died = this.exited.then(() => {
        throw new Error(`containerd exited (${exitInfo}) before answering: ${this.recentLog()}`);
      });
      const version = await Promise.race([ready, died]);
      this.log.info(`ready (${version.runtimeName} ${version.runtimeVersion}) on ${this.paths.socket}`);
    } finally {
      probe.close();
    }
  }

  private onExit(child: ChildProcess, how: string): void {
    if (child !== this.child || this.stopping) return;
    const ranMs = Date.now() - this.startedAt;
    this.failures = ranMs >= STABLE_RUN_MS ? 0 : this.failures + 1;
    const { initial, max } = this.options.restartBackoffMs ?? { initial: 200, max: 10_000 };
    const delay = backoffDelay(Math.max(1, this.failures), { initialMs: initial, maxMs: max });
    this.log.info(`exited (${how}) after ${ranMs} ms; restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.restartCount += 1;
      // command() throws too (e.g. containerd was uninstalled): never out of a timer callback.
      Promise.resolve()
        .then(() => this.spawnAndWait(this.command()))
        .catch((error: Error) => this.log.warn(`restart failed: ${error.message}`));
    }, delay);
  }

  private async removeAllSandboxes(): Promise<void> {
    const cri = new CriRuntime(this.endpoint, { timeoutMs: 30_000 });
    try {
      for (const sandbox of await cri.listPodSandboxes()) {
        await cri.stopPodSandbox(sandbox.id).catch(() => undefined);
        await cri.removePodSandbox(sandbox.id).catch(() => undefined);
      }
    } catch (error) {
      this.log.warn(`CRI cleanup failed: ${(error as Error).message}`);
    } finally {
      cri.close();
    }
  }

  private recentLog(): string {
    return this.logFile?.tail(5).join(' | ') ?? '';
  }
}
