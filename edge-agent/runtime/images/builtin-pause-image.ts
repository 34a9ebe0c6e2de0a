// The sandbox image the agent carries with it, for gateways that cannot pull one (air-gapped
// sites, no registry mirror): its own pause program (pause-program.ts) as a one-layer OCI image
// for this machine's architecture, named under localhost/ so it can never be mistaken for, or
// shadow, an image from a registry.
import { ociImageTar, ociPlatform } from './oci-image.js';
import { type PauseArch, pauseProgram } from './pause-program.js';
import { tarArchive } from './tar-writer.js';

/** Bumped whenever the program or the image layout changes. */
export const builtinPauseRef = 'localhost/flotilla/pause:1';

const archOf: Record<string, PauseArch> = { x64: 'amd64', arm64: 'arm64', arm: 'arm' };

/** Node's process.arch as a pause architecture, or undefined where there is no pause program. */
export function pauseArchFor(arch: string = process.arch): PauseArch | undefined {
  return archOf[arch];
}

/** The built-in sandbox image as an OCI layout tar, ready for `ctr images import`. */
export function builtinPauseImageTar(arch: string = process.arch): Buffer {
  const pauseArch = pauseArchFor(arch);
  if (!pauseArch) throw new Error(`no built-in sandbox image for architecture ${arch}`);
  const layer = tarArchive([{ type: 'file', path: 'pause', data: pauseProgram(pauseArch), mode: 0o755 }]);
  return ociImageTar({
    ref: builtinPauseRef,
    layer,
    entrypoint: ['/pause'],
    env: [],
    platform: ociPlatform(arch),
    createdBy: 'flotilla edge agent (built-in pause)',
  });
}
