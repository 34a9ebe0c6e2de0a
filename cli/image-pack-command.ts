// `flotilla agent image pack DIR --tag REF --output FILE.tar`: a directory becomes a one-layer
// OCI image tar that `flotilla agent image import` (or `ctr images import`) loads — the way to a
// first image on a site with no registry and no Docker, e.g. a busybox from Debian's
// busybox-static. The tag must be fully qualified, as everything CRI looks up is.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { invalidFlagValue, UsageError } from '../api/usage-error.js';
import { normalizeImageRef } from '../edge-agent/runtime/image-ref.js';
import { ociImageTar, ociPlatform } from '../edge-agent/runtime/images/oci-image.js';
import { RootfsError, rootfsEntries } from '../edge-agent/runtime/images/rootfs-layer.js';
import { tarArchive } from '../edge-agent/runtime/images/tar-writer.js';
import { parseFlags } from './parse-flags.js';

export const imagePackUsage = `flotilla agent image pack DIR --tag REF --output FILE.tar [--entrypoint PATH] [--arch ARCH]
  --tag REF                        the image's fully qualified name, e.g. localhost/busybox:1 (required)
  --output FILE.tar                where to write the OCI image tar (required)
  --entrypoint PATH                the program the image runs when a pod gives no command
  --arch amd64|arm64|arm           the architecture the files are for (default: this machine's)
`;

export interface ImagePackOptions {
  root: string;
  tag: string;
  output: string;
  entrypoint?: string;
  arch: string;
}

const arches: Record<string, string> = { amd64: 'x64', arm64: 'arm64', arm: 'arm' };

export function parseImagePackArgs(args: string[]): ImagePackOptions | 'help' {
  const parsed = parseFlags({
    args,
    allowPositionals: true,
    options: {
      tag: { type: 'string' },
      output: { type: 'string' },
      entrypoint: { type: 'string' },
      arch: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError('image pack: exactly one DIR is required');
  const tag = values.tag as string | undefined;
  const output = values.output as string | undefined;
  if (!tag) throw new UsageError('--tag is required');
  if (normalizeImageRef(tag) !== tag)
    throw invalidFlagValue('--tag', tag, `must be fully qualified, e.g. ${normalizeImageRef(tag)}`);
  if (!output) throw new UsageError('--output is required');
  const arch = (values.arch as string | undefined) ?? ociPlatform().architecture;
  if (!(arch in arches))
    throw new UsageError(
      `--arch: Unsupported value: ${JSON.stringify(arch)}: supported values: "amd64", "arm64", "arm"`,
    );
  const entrypoint = values.entrypoint as string | undefined;
  return {
    root: resolve(positionals[0] as string),
    tag,
    output: resolve(output),
    arch,
    ...(entrypoint ? { entrypoint } : {}),
  };
}

export function runImagePack(
  args: string[],
  print: (line: string) => void = (line) => console.log(line),
): void {
  const options = parseImagePackArgs(args);
  if (options === 'help') {
    print(imagePackUsage.trimEnd());
    return;
  }
  if (!existsSync(options.root) || !statSync(options.root).isDirectory())
    throw new UsageError(`image pack: ${options.root}: not a directory`);
  let layer: Buffer;
  try {
    layer = tarArchive(rootfsEntries(options.root));
  } catch (err) {
    if (err instanceof RootfsError) throw new UsageError(`image pack: ${err.message}`);
    throw err;
  }
  const image = ociImageTar({
    ref: options.tag,
    layer,
    platform: ociPlatform(arches[options.arch]),
    ...(options.entrypoint ? { entrypoint: [options.entrypoint] } : {}),
  });
  writeFileSync(options.output, image);
  print(`${options.output}: ${options.tag} (${options.arch}, ${image.length} bytes)`);
}
