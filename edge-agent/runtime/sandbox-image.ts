// Which sandbox (pause) image the managed containerd uses, and making sure it is there before the
// first pod needs it. containerd pulls the sandbox image itself on the first RunPodSandbox, so a
// gateway that cannot reach the registry would fail every pod, forever (firmware-notes/host-runtime.md §1, pitfall 4).
// The order, like a kubelet with an air-gap fallback:
//   1. --pause-image REF: that image, present or pulled; never replaced by another.
//   2. otherwise the one chosen on an earlier start (DIR/containerd/sandbox-image), else the
//      upstream pause image Kubernetes itself uses — present or pulled;
//   3. when it cannot be pulled, the agent's built-in pause image (builtin-pause-image.ts),
//      imported into containerd with nothing to install.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../api/logger.js';
import type { ContainerRuntime } from './container-runtime.js';
import { builtinPauseImageTar, builtinPauseRef } from './images/builtin-pause-image.js';

/** The pause image of Kubernetes 1.32's kubeadm (registry.k8s.io, multi-arch). */
export const upstreamPauseImage = 'registry.k8s.io/pause:3.10';

/** A gateway whose registry does not answer must not wait long before it falls back. */
export const sandboxPullTimeoutMs = 20_000;

export interface SandboxImageDeps {
  runtime: Pick<ContainerRuntime, 'imageStatus' | 'pullImage'>;
  /** Loads an image tar into the runtime (ctr images import). */
  importTar(tar: Buffer): Promise<void>;
  log: Logger;
  pullTimeoutMs?: number;
}

/** The file that remembers the image chosen, under the managed containerd's directory. */
export function sandboxChoiceFile(instanceDir: string): string {
  return join(instanceDir, 'sandbox-image');
}

export function readSandboxChoice(instanceDir: string): string | undefined {
  const file = sandboxChoiceFile(instanceDir);
  const ref = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return ref === '' ? undefined : ref;
}

export function saveSandboxChoice(instanceDir: string, ref: string | undefined): void {
  const file = sandboxChoiceFile(instanceDir);
  if (ref === undefined) rmSync(file, { force: true });
  else writeFileSync(file, `${ref}\n`);
}

/** The image to start containerd with: the flag, the earlier choice, or the upstream image. */
export function initialSandboxImage(explicit: string | undefined, remembered: string | undefined): string {
  return explicit ?? remembered ?? upstreamPauseImage;
}

async function importBuiltin(deps: SandboxImageDeps): Promise<void> {
  await deps.importTar(builtinPauseImageTar());
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Makes sure `ref` (what containerd was started with) is in the runtime, and answers the image
 * the runtime should use: `ref`, or the built-in image when `ref` cannot be had and was not
 * asked for explicitly.
 */
export async function ensureSandboxImage(
  ref: string,
  explicit: boolean,
  deps: SandboxImageDeps,
): Promise<string> {
  if (await deps.runtime.imageStatus(ref).catch(() => undefined)) return ref;
  if (ref === builtinPauseRef) {
    await importBuiltin(deps);
    deps.log.info(`sandbox image ${ref} imported (built in)`);
    return ref;
  }
  const timeoutMs = deps.pullTimeoutMs ?? sandboxPullTimeoutMs;
  try {
    await withTimeout(deps.runtime.pullImage(ref), timeoutMs, `pulling ${ref}`);
    deps.log.info(`sandbox image ${ref} pulled`);
    return ref;
  } catch (error) {
    const why = (error as Error).message;
    if (explicit) {
      deps.log.warn(
        `sandbox image ${ref} (--pause-image) is missing and cannot be pulled: ${why}; pods cannot start until it is imported (flotilla agent image import)`,
      );
      return ref;
    }
    await importBuiltin(deps);
    deps.log.warn(`sandbox image ${ref} cannot be pulled (${why}); using the built-in ${builtinPauseRef}`);
    return builtinPauseRef;
  }
}
