// ImageArchitecture (Flotilla's own): edge fleets mix arm64, 32-bit ARM and amd64 gateways, and
// an image built for one of them crash-loops on the others. Pods that choose nodes by
// kubernetes.io/arch or kubernetes.io/os labels are already handled by NodeAffinity; a pod whose
// images are known to exist only for some platforms says so in the annotation
//   flotilla.io/arch: "arm64,amd64"            (architectures)
//   flotilla.io/arch: "linux/arm64,linux/arm/v7" (OCI platforms: os/arch[/variant])
// and only nodes whose kubernetes.io/arch (and, for platforms, kubernetes.io/os) label is
// listed qualify; a node without the label does not. Names are normalised the way Go and kube
// label them: aarch64 → arm64, x86_64 → amd64, armv7/armv6/armhf → arm (the variant is not
// checked, since nodes carry no variant label).
import type { FilterPlugin } from '../framework.js';
import { wellKnown } from '../types.js';

export const archAnnotation = 'flotilla.io/arch';
export const imageArchitectureReason =
  "node(s) didn't match the architectures the pod's images are built for";

const operatingSystems = new Set(['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'illumos']);
const aliases: Record<string, string> = {
  aarch64: 'arm64',
  arm64v8: 'arm64',
  x86_64: 'amd64',
  x64: 'amd64',
  armv7: 'arm',
  armv7l: 'arm',
  armv6: 'arm',
  armv6l: 'arm',
  armhf: 'arm',
  i386: '386',
  i686: '386',
};

export function normalizeArch(arch: string): string {
  const lower = arch.trim().toLowerCase();
  return aliases[lower] ?? lower;
}

export interface Platform {
  os: string | undefined;
  arch: string;
}

export function parsePlatforms(annotation: string): Platform[] {
  const platforms: Platform[] = [];
  for (const entry of annotation.split(',')) {
    const parts = entry.trim().split('/').filter(Boolean);
    if (parts.length === 0) continue;
    const hasOs = parts.length > 1 && operatingSystems.has(parts[0]!.toLowerCase());
    const os = hasOs ? parts[0]!.toLowerCase() : undefined;
    platforms.push({ os, arch: normalizeArch(hasOs ? parts[1]! : parts[0]!) });
  }
  return platforms;
}

export const imageArchitectureFilter: FilterPlugin = {
  name: 'ImageArchitecture',
  preFilter: (pod, _snapshot, state) => {
    const annotation = pod.pod.metadata.annotations?.[archAnnotation];
    if (annotation === undefined) return { skip: true };
    state.set('ImageArchitecture', parsePlatforms(annotation));
    return undefined;
  },
  filter: (_pod, node, state) => {
    const label = node.labels[wellKnown.arch];
    if (label === undefined) return imageArchitectureReason;
    const arch = normalizeArch(label);
    const os = node.labels[wellKnown.os];
    const platforms = state.get('ImageArchitecture') as Platform[];
    const fits = platforms.some((p) => p.arch === arch && (p.os === undefined || p.os === os));
    return fits ? undefined : imageArchitectureReason;
  },
};
