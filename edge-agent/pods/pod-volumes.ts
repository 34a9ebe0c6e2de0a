// Pod volumes under <dataDir>/pods/<uid>/volumes/: emptyDir (a directory that lives as long as
// the pod), hostPath (with its type checks), configMap and secret (keys written as files,
// `items` choosing keys, paths and modes, kept current through the atomic writer), projected
// and downwardAPI (projected-volume.ts). Returns the
// CRI mounts of a container; a volume that cannot be set up is a FailedMount error.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import type { Mount } from '../runtime/container-runtime.js';
import { type VolumeFile, writeAtomically } from './atomic-writer.js';
import { type Container, type KeyToPath, podNamespace, podSpecOf, type Volume } from './pod-spec.js';
import { projectedVolumeFiles } from './projected-volume.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';

export class VolumeError extends Error {
  override name = 'VolumeError';
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
  }
}

export interface VolumeContext {
  pod: KubeObject;
  /** <dataDir>/pods/<uid> */
  podDir: string;
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  /** ServiceAccount tokens of projected volumes; none: such a volume cannot be set up. */
  tokens?: ServiceAccountTokens | undefined;
}

interface VolumePath {
  hostPath: string;
  readOnly: boolean;
}

export const defaultMode = 0o644;

export function volumeDir(podDir: string, kind: string, name: string): string {
  return join(podDir, 'volumes', kind, name);
}

/** Sets up every volume of the pod (idempotent) and returns where each one is on the host. */
export async function setUpVolumes(ctx: VolumeContext): Promise<Map<string, VolumePath>> {
  const paths = new Map<string, VolumePath>();
  for (const volume of podSpecOf(ctx.pod).volumes ?? []) {
    paths.set(volume.name, await setUpVolume(volume, ctx));
  }
  return paths;
}

async function setUpVolume(volume: Volume, ctx: VolumeContext): Promise<VolumePath> {
  if (volume.hostPath) return { hostPath: await checkHostPath(volume), readOnly: false };
  if (volume.configMap || volume.secret) {
    const dir = volumeDir(ctx.podDir, volume.configMap ? 'configmap' : 'secret', volume.name);
    await writeAtomically(dir, projectedFiles(volume, ctx));
    return { hostPath: dir, readOnly: true };
  }
  if (volume.projected || volume.downwardAPI) {
    const dir = volumeDir(ctx.podDir, volume.projected ? 'projected' : 'downward-api', volume.name);
    await writeAtomically(dir, await projectedVolumeFiles(volume, dir, ctx));
    return { hostPath: dir, readOnly: true };
  }
  // emptyDir, and a volume of a kind the agent does not support yet, is a plain directory.
  const dir = volumeDir(ctx.podDir, 'empty-dir', volume.name);
  await mkdir(dir, { recursive: true, mode: 0o777 });
  return { hostPath: dir, readOnly: false };
}

function projectedFiles(volume: Volume, ctx: VolumeContext): VolumeFile[] {
  const source = volume.configMap ?? volume.secret;
  return keyFiles(
    volume.name,
    {
      kind: volume.secret ? 'secret' : 'configmap',
      name: volume.configMap?.name ?? volume.secret?.secretName ?? '',
      items: source?.items,
      optional: source?.optional,
    },
    source?.defaultMode ?? defaultMode,
    ctx,
  );
}

export interface KeySource {
  kind: 'configmap' | 'secret';
  name: string;
  items?: KeyToPath[] | undefined;
  optional?: boolean | undefined;
}

/** The files of a config map's or secret's keys (all, or `items`), for volume `volumeName`. */
export function keyFiles(
  volumeName: string,
  source: KeySource,
  mode: number,
  ctx: VolumeContext,
): VolumeFile[] {
  const isSecret = source.kind === 'secret';
  const namespace = podNamespace(ctx.pod);
  const obj = isSecret ? ctx.secret(namespace, source.name) : ctx.configMap(namespace, source.name);
  if (!obj) {
    if (source.optional) return [];
    throw new VolumeError(volumeName, `${source.kind} "${source.name}" not found`);
  }
  const data = new Map<string, Buffer>();
  for (const [key, value] of Object.entries((obj.data ?? {}) as Record<string, string>)) {
    data.set(key, Buffer.from(value, isSecret ? 'base64' : 'utf8'));
  }
  for (const [key, value] of Object.entries((obj.binaryData ?? {}) as Record<string, string>)) {
    data.set(key, Buffer.from(value, 'base64'));
  }
  const items: KeyToPath[] = source.items ?? [...data.keys()].map((key) => ({ key, path: key }));
  const files: VolumeFile[] = [];
  for (const item of items) {
    const content = data.get(item.key);
    if (content === undefined) {
      if (source.optional) continue;
      const message = isSecret
        ? `references non-existent secret key: ${item.key}`
        : `configmap references non-existent config key: ${item.key}`;
      throw new VolumeError(volumeName, message);
    }
    files.push({ path: item.path, content, mode: item.mode ?? mode });
  }
  return files;
}

/** hostPath types (core/v1 HostPathType); '' checks nothing. */
async function checkHostPath(volume: Volume): Promise<string> {
  const { path, type = '' } = volume.hostPath ?? { path: '' };
  const fail = (what: string) =>
    new VolumeError(volume.name, `hostPath type check failed: ${path} is not ${what}`);
  const info = await stat(path).catch(() => undefined);
  switch (type) {
    case 'DirectoryOrCreate':
      if (!info) await mkdir(path, { recursive: true, mode: 0o755 });
      else if (!info.isDirectory()) throw fail('a directory');
      break;
    case 'FileOrCreate':
      if (!info) await writeFile(path, '', { mode: 0o644 });
      else if (!info.isFile()) throw fail('a file');
      break;
    case 'Directory':
      if (!info?.isDirectory()) throw fail('a directory');
      break;
    case 'File':
      if (!info?.isFile()) throw fail('a file');
      break;
    case 'Socket':
      if (!info?.isSocket()) throw fail('a socket file');
      break;
    case 'CharDevice':
      if (!info?.isCharacterDevice()) throw fail('a character device');
      break;
    case 'BlockDevice':
      if (!info?.isBlockDevice()) throw fail('a block device');
      break;
    default:
      break;
  }
  return path;
}

/** The CRI mounts of one container: its volumeMounts over the volumes' host paths. */
export function containerMounts(container: Container, volumes: Map<string, VolumePath>): Mount[] {
  return (container.volumeMounts ?? []).map((mount) => {
    const volume = volumes.get(mount.name);
    if (!volume) throw new VolumeError(mount.name, `volume "${mount.name}" is not defined in the pod`);
    return {
      containerPath: mount.mountPath,
      hostPath: mount.subPath ? join(volume.hostPath, mount.subPath) : volume.hostPath,
      readonly: mount.readOnly === true || volume.readOnly,
    };
  });
}
