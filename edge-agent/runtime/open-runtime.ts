// The container runtime the agent was told to use (--runtime, --runtime-endpoint, or an
// instance from a test), opened: a managed containerd started with a sandbox image that works,
// an external CRI endpoint waited for, or the simulated one. Says where the pod network's
// conflist goes for it and how to let it go at shutdown.
import { join } from 'node:path';
import type { Logger } from '../../api/logger.js';
import type { ContainerRuntime } from './container-runtime.js';
import { containerdPaths, instanceNetworkNames } from './containerd-config.js';
import { CriRuntime } from './cri-runtime.js';
import { FakeRuntime } from './fake-runtime.js';
import { findExecutable } from './find-executable.js';
import { importImageBuffer } from './image-import.js';
import { ManagedContainerd } from './managed-containerd.js';
import { type ConflistWriter, writeBridgeConflist } from './pod-network.js';
import {
  ensureSandboxImage,
  initialSandboxImage,
  readSandboxChoice,
  saveSandboxChoice,
} from './sandbox-image.js';

export type RuntimeChoice =
  | { kind: 'fake' }
  | { kind: 'endpoint'; endpoint: string }
  /** pauseImage: --pause-image; unset, the agent picks one that works (sandbox-image.ts). */
  | { kind: 'managed'; pauseImage?: string | undefined }
  /** A runtime the caller owns (tests, simulations); the agent does not close it. */
  | { kind: 'instance'; runtime: ContainerRuntime };

export interface OpenedRuntime {
  runtime: ContainerRuntime;
  /** Writes the pod network's conflist where this runtime reads it; none: not ours to write. */
  conflist?: ConflistWriter | undefined;
  /** A simulated runtime's pod IPs follow the Node's pod CIDR too (they never wait for it). */
  followPodCidr?: (podCidr: string) => void;
  stop(): Promise<void>;
}

export interface OpenRuntimeOptions {
  dataDir: string;
  /** The pod CIDR kept in local state, if any: the network is there before the first pod. */
  podCidr: string | undefined;
  /** --cni-conf-dir: where a runtime we do not manage reads its CNI config. */
  cniConfDir: string | undefined;
  log: Logger;
}

/** A conflist in --cni-conf-dir for a runtime we do not manage; IPAM records under our data dir. */
function externalConflist(dataDir: string, confDir: string | undefined): ConflistWriter | undefined {
  if (!confDir) return undefined;
  const target = { ...instanceNetworkNames(dataDir), confDir, ipamDataDir: join(dataDir, 'cni-ipam') };
  return (podCidr) => writeBridgeConflist(target, podCidr);
}

export async function openRuntime(
  choice: RuntimeChoice,
  options: OpenRuntimeOptions,
): Promise<OpenedRuntime> {
  const { dataDir, podCidr, log } = options;
  const external = externalConflist(dataDir, options.cniConfDir);
  switch (choice.kind) {
    case 'instance': {
      const runtime = choice.runtime;
      return {
        runtime,
        conflist: external,
        ...(runtime instanceof FakeRuntime ? { followPodCidr: (cidr) => runtime.usePodCidr(cidr) } : {}),
        stop: async () => {},
      };
    }
    case 'fake': {
      // Like a real gateway's bridge, pods wait for the Node's pod CIDR and take their IPs from it.
      const runtime = new FakeRuntime(podCidr ? { podCidr } : {});
      return {
        runtime,
        conflist: (cidr) => [runtime.usePodCidr(cidr), external?.(cidr) ?? false].includes(true),
        stop: async () => runtime.close(),
      };
    }
    case 'endpoint': {
      const runtime = new CriRuntime(choice.endpoint);
      // A runtime that is down now is reported as NotReady; pod sync retries until it answers.
      await runtime.waitReady(5_000).catch((err: Error) => log.warn(`runtime not ready yet: ${err.message}`));
      return { runtime, conflist: external, stop: async () => runtime.close() };
    }
    case 'managed':
      return openManagedContainerd(choice.pauseImage, options);
  }
}

async function openManagedContainerd(
  pauseChoice: string | undefined,
  { dataDir, podCidr, log }: OpenRuntimeOptions,
): Promise<OpenedRuntime> {
  if (!findExecutable('containerd')) {
    throw new Error(
      'no container runtime: containerd is not installed; install it, pass --runtime-endpoint unix:///run/containerd/containerd.sock, or --runtime fake to simulate a gateway',
    );
  }
  // A pod CIDR kept in local state: the conflist is there before containerd starts.
  const paths = containerdPaths(dataDir);
  const pauseImage = initialSandboxImage(pauseChoice, readSandboxChoice(paths.instanceDir));
  const containerd = new ManagedContainerd({ dataDir, pauseImage, podCidr, log: log.child('containerd') });
  await containerd.start();
  const runtime = new CriRuntime(containerd.endpoint);
  try {
    const usable = await ensureSandboxImage(pauseImage, pauseChoice !== undefined, {
      runtime,
      importTar: async (tar) => {
        await importImageBuffer(containerd.address, tar, paths.instanceDir);
      },
      log,
    });
    await containerd.useSandboxImage(usable);
    if (pauseChoice === undefined) saveSandboxChoice(paths.instanceDir, usable);
  } catch (error) {
    log.warn(`sandbox image not ready: ${(error as Error).message}`);
  }
  return {
    runtime,
    conflist: (cidr) => containerd.writePodNetwork(cidr),
    stop: async () => {
      runtime.close();
      // Only the daemon stops: shims, and with them the containers, keep running, and the
      // next containerd finds them again (firmware-notes/host-runtime.md §1).
      await containerd.stop();
    },
  };
}
