// iptables chain names, hashed like kube-proxy's (a prefix, then base32 of a SHA-256 of the
// service port and protocol, and the endpoint for endpoint chains), so a name is stable across
// restarts and syncs and a change of endpoints touches only the chains it must.
//
// Flotilla's chains are FLOTILLA-*, not KUBE-*: a gateway may also run k3s or kubeadm's
// kube-proxy, which deletes every KUBE-SVC-/KUBE-SEP- chain it does not know of on each sync
// and rewrites KUBE-SERVICES wholesale. With our own names both proxies can share a host and
// `flotilla agent cleanup-rules` can find exactly what is ours. The price: iptables chain names
// are at most 28 characters, so FLOTILLA-SVC- leaves room for 15 hash characters (kube-proxy
// keeps 16): 75 bits, still no realistic chance of a collision.
import { createHash } from 'node:crypto';
import type { ProxyEndpoint, ServicePort } from './service-port.js';

export const chainPrefix = 'FLOTILLA-';

/** Chains every sync keeps; the per-service chains hang off them. */
export const baseChains = {
  services: 'FLOTILLA-SERVICES',
  nodePorts: 'FLOTILLA-NODEPORTS',
  markMasq: 'FLOTILLA-MARK-MASQ',
  postrouting: 'FLOTILLA-POSTROUTING',
  /** filter table: rejects for node ports and external IPs without endpoints. */
  externalServices: 'FLOTILLA-EXT-SERVICES',
} as const;

const maxChainName = 28;
const hashLength = 15;
const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += base32Alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

// Names are asked for on every sync (10,000 Services: 60,000 chains); hashing them each time
// costs more than keeping them. The memo is dropped whole when it grows past any real fleet.
const memo = new Map<string, string>();
const memoLimit = 500_000;

function hashed(kind: string, text: string): string {
  const input = `${kind} ${text}`;
  const known = memo.get(input);
  if (known !== undefined) return known;
  const name = `${chainPrefix}${kind}-${base32(createHash('sha256').update(text).digest()).slice(0, hashLength)}`;
  if (name.length > maxChainName) throw new Error(`chain name ${name} is longer than ${maxChainName}`);
  if (memo.size >= memoLimit) memo.clear();
  memo.set(input, name);
  return name;
}

export type PortChainKind = 'SVC' | 'SVL' | 'EXT';

/** SVC: all endpoints (Cluster policy); SVL: this node's (Local policy); EXT: external destinations. */
export function portChain(kind: PortChainKind, port: Pick<ServicePort, 'id' | 'protocol'>): string {
  return hashed(kind, `${port.id}/${port.protocol}`);
}

export function endpointChain(port: Pick<ServicePort, 'id' | 'protocol'>, ep: ProxyEndpoint): string {
  return hashed('SEP', `${port.id}/${port.protocol}/${ep.ip}:${ep.port}`);
}

export function isFlotillaChain(name: string): boolean {
  return name.startsWith(chainPrefix);
}
