// /version: a Kubernetes-style version. kubectl's dispatcher picks its client from the minor
// (firmware-notes/host-runtime.md §4), so the minor is one kubectl 1.32 accepts; the build metadata says Flotilla.
import { arch, platform } from 'node:process';

export const kubernetesMinor = '32';
export const flotillaVersion = '0.1.0';

export function versionInfo(): object {
  return {
    major: '1',
    minor: kubernetesMinor,
    gitVersion: `v1.${kubernetesMinor}.0+flotilla.${flotillaVersion}`,
    gitCommit: 'flotilla',
    gitTreeState: 'clean',
    buildDate: '2026-11-23T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${platform}/${arch === 'x64' ? 'amd64' : arch}`,
  };
}
