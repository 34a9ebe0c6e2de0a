// The labels a gateway registers with: the well-known kubernetes.io/{arch,os,hostname} labels
// kubelet sets (the scheduler's arch-aware filtering and topology spreading rely on them), plus
// the operator's --node-labels. Architecture names are Go's GOARCH names, as in Kubernetes.
import { requiredNodeLabels } from '../../api/mqtt/payloads/node-registration.js';

/** Node.js `process.arch` → GOARCH. */
const goArch: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

export function kubeArch(nodeArch: string): string {
  return goArch[nodeArch] ?? nodeArch;
}

/** Node.js `process.platform` → GOOS (the same names, except Windows). */
export function kubeOs(platform: string): string {
  return platform === 'win32' ? 'windows' : platform;
}

/** Labels the agent always sets itself; --node-labels may not override them. */
export const agentOwnedLabels: readonly string[] = requiredNodeLabels;

/**
 * kubernetes.io/hostname is the node name, as kubelet sets it with --hostname-override: it must
 * be unique per node for topology spreading, and several simulated gateways share one host.
 */
export function nodeLabels(
  nodeName: string,
  arch: string,
  platform: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...extra,
    'kubernetes.io/arch': kubeArch(arch),
    'kubernetes.io/os': kubeOs(platform),
    'kubernetes.io/hostname': nodeName,
  };
}
