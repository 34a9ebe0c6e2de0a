// The nftables proxy's whole ruleset: table `ip flotilla`, its maps and sets (declared here), the
// fixed chains, and the elements of every service port. Pure.
//
// Loaded as one `nft -f` transaction that deletes the table and defines it again: the kernel
// switches from the old ruleset to the new one at commit, so packets never see a moment without
// rules — an agent restart replaces its predecessor's rules in place.
import { dnatChainsFor, emitNftPort, type NftElement, type NftSet, type NftSink } from './nft-fragment.js';
import type { NftInstalled } from './nft-update.js';
import type { ProxyNode, ServicePort } from './service-port.js';

export const nftTable = 'flotilla';
const masqMark = '0x4000';

const ipKey = 'ip daddr . meta l4proto . th dport';
const portKey = 'meta l4proto . th dport';
const endpointValue = 'ip daddr . th dport';
// `numgen random mod 1` only gives the slot its type (a 32-bit number) in the typeof declaration.
const slot = 'numgen random mod 1';

/** Every fixed map and set, with what its keys (and values) look like. */
export const nftSetTypes: Record<Exclude<NftSet, `affinity-${number}`>, string> = {
  'cluster-ips': `${ipKey} : verdict`,
  'external-ips': `${ipKey} : verdict`,
  'external-ips-cluster': `${ipKey} : verdict`,
  nodeports: `${portKey} : verdict`,
  'nodeports-cluster': `${portKey} : verdict`,
  endpoints: `${ipKey} . ${slot} : ${endpointValue}`,
  'local-endpoints': `${ipKey} . ${slot} : ${endpointValue}`,
  'nodeport-endpoints': `${portKey} . ${slot} : ${endpointValue}`,
  'nodeport-local-endpoints': `${portKey} . ${slot} : ${endpointValue}`,
  'masq-external': ipKey,
  'masq-nodeports': portKey,
  'local-policy-external': ipKey,
  'local-policy-nodeports': portKey,
  'no-endpoints': ipKey,
  'no-local-endpoints': ipKey,
  'no-endpoint-nodeports': portKey,
  'no-local-nodeports': portKey,
};

const affinitySetType = ipKey;

export function setKind(name: string, type: string): 'map' | 'set' {
  return type.includes(' : ') || name === 'affinity' ? 'map' : 'set';
}

const mark = `meta mark set meta mark | ${masqMark}`;

/** The fixed chains; the pod CIDR tells pod traffic from the rest, as kube-proxy's local detector does. */
export function fixedChains(node: ProxyNode): Array<[string, string[]]> {
  const pod = node.podCIDR;
  return [
    [
      'services',
      [
        // Masquerade decisions come first: a sticky client (affinity) leaves at the dnat below.
        // (A verdict map doubles as the set of its keys: no second copy of 10,000 cluster IPs.)
        ...(pod ? [`ip saddr != ${pod} ${ipKey} @cluster-ips ${mark}`] : []),
        `${ipKey} @masq-external ${mark}`,
        `fib saddr type local ${ipKey} @local-policy-external ${mark}`,
        `fib daddr type local ${portKey} @masq-nodeports ${mark}`,
        `fib daddr type local fib saddr type local ${portKey} @local-policy-nodeports ${mark}`,
        `dnat ip to ip saddr . ${ipKey} map @affinity`,
        `${ipKey} vmap @cluster-ips`,
        ...(pod ? [`ip saddr ${pod} ${ipKey} vmap @external-ips-cluster`] : []),
        `fib saddr type local ${ipKey} vmap @external-ips-cluster`,
        `${ipKey} vmap @external-ips`,
        'fib daddr type local jump nodeports',
      ],
    ],
    [
      'nodeports',
      [
        ...(pod ? [`ip saddr ${pod} ${portKey} vmap @nodeports-cluster`] : []),
        `fib saddr type local ${portKey} vmap @nodeports-cluster`,
        `${portKey} vmap @nodeports`,
      ],
    ],
    ['nat-prerouting', ['type nat hook prerouting priority dstnat; policy accept;', 'jump services']],
    ['nat-output', ['type nat hook output priority -100; policy accept;', 'jump services']],
    [
      'nat-postrouting',
      [
        'type nat hook postrouting priority srcnat; policy accept;',
        `meta mark & ${masqMark} == ${masqMark} meta mark set meta mark ^ ${masqMark} masquerade fully-random`,
        // Hairpin: an endpoint reaching itself through its Service (nft cannot compare saddr with daddr).
        'ct status dnat ip saddr . ip daddr @hairpin masquerade fully-random',
      ],
    ],
    [
      'reject-checks',
      [
        // A TCP reset, not ICMP: the kernel rate-limits ICMP errors per host, and a client whose
        // "port unreachable" was suppressed waits for its SYN to time out instead of failing.
        `meta l4proto tcp ${ipKey} @no-endpoints reject with tcp reset`,
        `${ipKey} @no-endpoints reject`,
        `${ipKey} @no-local-endpoints drop`,
        `meta l4proto tcp fib daddr type local ${portKey} @no-endpoint-nodeports reject with tcp reset`,
        `fib daddr type local ${portKey} @no-endpoint-nodeports reject`,
        `fib daddr type local ${portKey} @no-local-nodeports drop`,
      ],
    ],
    [
      'filter-input',
      ['type filter hook input priority filter - 10; policy accept;', 'ct state new jump reject-checks'],
    ],
    [
      'filter-forward',
      ['type filter hook forward priority filter - 10; policy accept;', 'ct state new jump reject-checks'],
    ],
    [
      'filter-output',
      ['type filter hook output priority filter - 10; policy accept;', 'ct state new jump reject-checks'],
    ],
    // After the dnat (so the chosen endpoint is in the packet): remember it for sticky clients.
    [
      'affinity-prerouting',
      [
        'type filter hook prerouting priority dstnat + 10; policy accept;',
        'ct state new ct status dnat jump affinity-record',
      ],
    ],
    [
      'affinity-output',
      [
        'type filter hook output priority -90; policy accept;',
        'ct state new ct status dnat jump affinity-record',
      ],
    ],
  ];
}

/** `dnat-3` → the rule choosing one of 3 endpoints. */
export function dnatRule(chain: string): string {
  const match = /^(nodeport-)?dnat-(local-)?(\d+)$/.exec(chain);
  if (!match) throw new Error(`not a dnat chain: ${chain}`);
  const key = match[1] ? portKey : ipKey;
  const map = `${match[1] ?? ''}${match[2] ?? ''}endpoints`;
  return `dnat ip to ${key} . numgen random mod ${match[3]} map @${map}`;
}

/** Rules recording a sticky client's endpoint, one per protocol (proto-dst needs a known protocol). */
export function affinityRecordRules(seconds: number): string[] {
  return ['tcp', 'udp', 'sctp'].map(
    (proto) =>
      `meta l4proto ${proto} ct original ip daddr . meta l4proto . ct original proto-dst @affinity-${seconds} update @affinity { ip saddr . ct original ip daddr . meta l4proto . ct original proto-dst timeout ${seconds}s : ${endpointValue} }`,
  );
}

export function elementText(element: Pick<NftElement, 'key' | 'value'>): string {
  return element.value === undefined ? element.key : `${element.key} : ${element.value}`;
}

/**
 * The complete ruleset for `ports`, replacing the table atomically, and what it installs besides
 * elements. Element lines go straight into text (10,000 Services: 120,000 elements), no objects.
 */
export function buildNftRuleset(
  ports: readonly ServicePort[],
  node: ProxyNode,
): { text: string; installed: NftInstalled } {
  const elements = new Map<string, string[]>();
  const used = new Set<string>();
  const timeoutSet = new Set<number>();
  const hairpin = new Map<string, number>();
  const sink: NftSink = {
    element: (set, key, value) => {
      let list = elements.get(set);
      if (!list) {
        list = [];
        elements.set(set, list);
      }
      list.push(value === undefined ? key : `${key} : ${value}`);
    },
    chain: (name) => used.add(name),
    endpointIP: (ip) => hairpin.set(ip, (hairpin.get(ip) ?? 0) + 1),
    affinity: (seconds) => timeoutSet.add(seconds),
  };
  for (const port of ports) emitNftPort(port, node, sink);
  const timeouts = [...timeoutSet].sort((a, b) => a - b);
  const dnatChains = dnatChainsFor(used);
  const out = [`add table ip ${nftTable}`, `delete table ip ${nftTable}`, `table ip ${nftTable} {`];
  out.push('\tcomment "Flotilla service proxy; remove with: flotilla agent cleanup-rules"');
  const declare = (name: string, type: string, items: string[] | undefined, extra: string[] = []) => {
    out.push(`\t${setKind(name, type)} ${name} {`, `\t\ttypeof ${type}`, ...extra.map((e) => `\t\t${e}`));
    if (items && items.length > 0) out.push(`\t\telements = {\n\t\t\t${items.join(',\n\t\t\t')},\n\t\t}`);
    out.push('\t}');
  };
  for (const [name, type] of Object.entries(nftSetTypes)) declare(name, type, elements.get(name));
  declare(
    'hairpin',
    'ip saddr . ip daddr',
    [...hairpin.keys()].map((ip) => `${ip} . ${ip}`),
  );
  declare('affinity', `ip saddr . ${ipKey} : ${endpointValue}`, undefined, [
    'size 65536',
    'flags dynamic,timeout',
  ]);
  for (const seconds of timeouts)
    declare(`affinity-${seconds}`, affinitySetType, elements.get(`affinity-${seconds}`));
  const chain = (name: string, rules: string[]) =>
    out.push(`\tchain ${name} {`, ...rules.map((r) => `\t\t${r}`), '\t}');
  for (const [name, rules] of fixedChains(node)) chain(name, rules);
  chain('affinity-record', timeouts.flatMap(affinityRecordRules));
  for (const name of dnatChains) chain(name, [dnatRule(name)]);
  out.push('}');
  return {
    text: `${out.join('\n')}\n`,
    installed: { chains: new Set(dnatChains), affinityTimeouts: timeoutSet, hairpin },
  };
}
