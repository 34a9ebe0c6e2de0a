// One read of the runtime for a sync pass: sandboxes, containers, and the names under which
// each image can be asked for (normalised tags, digests, IDs).
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { normalizeImageRef } from '../runtime/image-ref.js';
import type { RuntimeSnapshot } from './pod-runtime-view.js';

export interface RuntimeRead extends RuntimeSnapshot {
  images: Set<string>;
}

export async function readRuntime(runtime: ContainerRuntime): Promise<RuntimeRead> {
  const [sandboxes, containers, images] = await Promise.all([
    runtime.listPodSandboxes(),
    runtime.listContainers(),
    runtime.listImages(),
  ]);
  const names = new Set<string>();
  for (const image of images) {
    names.add(image.id);
    for (const tag of image.repoTags) names.add(normalizeImageRef(tag));
    for (const digest of image.repoDigests) names.add(digest);
  }
  return { sandboxes, containers, images: names };
}
