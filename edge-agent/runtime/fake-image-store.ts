// FakeRuntime's images: references normalised as CRI does, IDs derived from the name, every pull
// a success (as if each image were in a reachable registry).
import { createHash } from 'node:crypto';
import type { ImageInfo } from './container-runtime.js';
import { copyImage } from './fake-records.js';
import { normalizeImageRef } from './image-ref.js';

export class FakeImageStore {
  private readonly images = new Map<string, ImageInfo>();

  /** Adds the image (again: same ID) and returns its ID. */
  add(ref: string): string {
    const name = normalizeImageRef(ref);
    const id = `sha256:${createHash('sha256').update(name).digest('hex')}`;
    this.images.set(name, { id, repoTags: [name], repoDigests: [], size: 1024 * 1024 });
    return id;
  }

  /** By reference only (what CreateContainer resolves). */
  named(ref: string): ImageInfo | undefined {
    return this.images.get(normalizeImageRef(ref));
  }

  /** By reference, or by ID (`sha256:…`). */
  find(ref: string): ImageInfo | undefined {
    if (ref.startsWith('sha256:')) return [...this.images.values()].find((image) => image.id === ref);
    return this.named(ref);
  }

  list(): ImageInfo[] {
    return [...this.images.values()].map(copyImage);
  }

  status(ref: string): ImageInfo | undefined {
    const image = this.find(ref);
    return image ? copyImage(image) : undefined;
  }

  pull(ref: string): string {
    return this.find(ref)?.id ?? this.add(ref);
  }
}
