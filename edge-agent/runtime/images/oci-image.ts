// Writes a one-layer image as an OCI image layout tar (oci-layout, index.json, blobs/sha256/…),
// the format `ctr images import` reads. The index names the image twice: the OCI ref.name
// annotation and containerd's own io.containerd.image.name, which ctr uses verbatim. Used for the
// agent's built-in sandbox image and by `flotilla agent image pack`; no registry, no Docker.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { type TarEntry, tarArchive } from './tar-writer.js';

export interface ImageSpec {
  /** Fully qualified reference, e.g. docker.io/flotilla/busybox:1. */
  ref: string;
  /** The root filesystem, as an uncompressed tar. */
  layer: Buffer;
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  /** The history entry's created_by. */
  createdBy?: string;
  /** Default: this machine's (ociPlatform()). */
  platform?: OciPlatform;
}

export interface OciPlatform {
  architecture: string;
  os: string;
  variant?: string;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: OciPlatform;
}

/** Node's process.arch in Go's (and OCI's) words. */
const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

/** This machine's platform; 32-bit ARM gateways are armv7 (the variant Node supports). */
export function ociPlatform(arch: string = process.arch): OciPlatform {
  const architecture = GOARCH[arch] ?? arch;
  return architecture === 'arm'
    ? { architecture, os: 'linux', variant: 'v7' }
    : { architecture, os: 'linux' };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function blob(mediaType: string, data: Buffer): { descriptor: Descriptor; entry: TarEntry } {
  const hex = sha256(data);
  return {
    descriptor: { mediaType, digest: `sha256:${hex}`, size: data.length },
    entry: { type: 'file', path: `blobs/sha256/${hex}`, data },
  };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export function ociImageTar(spec: ImageSpec): Buffer {
  const platform = spec.platform ?? ociPlatform();
  const layer = blob('application/vnd.oci.image.layer.v1.tar', spec.layer);
  const config = blob(
    'application/vnd.oci.image.config.v1+json',
    json({
      ...platform,
      created: '1970-01-01T00:00:00Z',
      config: {
        ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
        ...(spec.cmd ? { Cmd: spec.cmd } : {}),
        Env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
      },
      rootfs: { type: 'layers', diff_ids: [layer.descriptor.digest] },
      history: [{ created: '1970-01-01T00:00:00Z', created_by: spec.createdBy ?? 'flotilla image builder' }],
    }),
  );
  const manifest = blob(
    'application/vnd.oci.image.manifest.v1+json',
    json({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: config.descriptor,
      layers: [layer.descriptor],
    }),
  );
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        ...manifest.descriptor,
        platform,
        annotations: {
          'io.containerd.image.name': spec.ref,
          'org.opencontainers.image.ref.name': spec.ref,
        },
      },
    ],
  };
  return tarArchive([
    { type: 'file', path: 'oci-layout', data: json({ imageLayoutVersion: '1.0.0' }) },
    { type: 'file', path: 'index.json', data: json(index) },
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
    layer.entry,
    config.entry,
    manifest.entry,
  ]);
}

export async function writeOciImageTar(outTar: string, spec: ImageSpec): Promise<void> {
  await writeFile(outTar, ociImageTar(spec));
}
