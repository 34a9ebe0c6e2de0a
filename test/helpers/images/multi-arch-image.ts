// A multi-arch image as a registry serves one: an OCI layout whose index.json names a single
// image index (the image), which lists one manifest per platform. Built from single-arch OCI
// layout tars (as ociImageTar writes them). containerd keeps the index as the image and picks the
// manifest of its own platform: `ctr images import` fetches and unpacks only that one's blobs, and
// CRI runs it.
import { createHash } from 'node:crypto';
import { type TarEntry, tarArchive } from '../../../edge-agent/runtime/images/tar-writer.js';
import { readTar } from './read-tar.js';

const INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';

interface ManifestDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string; variant?: string };
  annotations?: Record<string, string>;
}

export function multiArchImageTar(ref: string, singleArchTars: Buffer[]): Buffer {
  const blobs = new Map<string, Buffer>();
  const manifests: ManifestDescriptor[] = [];
  for (const tar of singleArchTars) {
    const entries = readTar(tar);
    for (const [path, entry] of entries) {
      if (path.startsWith('blobs/sha256/') && entry.type === '0') blobs.set(path, Buffer.from(entry.data));
    }
    const layoutIndex = entries.get('index.json');
    if (!layoutIndex) throw new Error('not an OCI layout tar: no index.json');
    const { manifests: listed } = JSON.parse(layoutIndex.data.toString()) as {
      manifests: ManifestDescriptor[];
    };
    // The names belong to the image (the index), not to each platform's manifest.
    for (const { annotations: _names, ...descriptor } of listed) manifests.push(descriptor);
  }
  const platforms = manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`);
  if (new Set(platforms).size !== platforms.length)
    throw new Error(`platforms repeat: ${platforms.join(', ')}`);
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: INDEX_MEDIA_TYPE, manifests }));
  const hex = createHash('sha256').update(index).digest('hex');
  blobs.set(`blobs/sha256/${hex}`, index);
  const layout = {
    schemaVersion: 2,
    mediaType: INDEX_MEDIA_TYPE,
    manifests: [
      {
        mediaType: INDEX_MEDIA_TYPE,
        digest: `sha256:${hex}`,
        size: index.length,
        annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': ref },
      },
    ],
  };
  return tarArchive([
    { type: 'file', path: 'oci-layout', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { type: 'file', path: 'index.json', data: Buffer.from(JSON.stringify(layout)) },
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
    ...[...blobs].map(([path, data]): TarEntry => ({ type: 'file', path, data })),
  ]);
}
