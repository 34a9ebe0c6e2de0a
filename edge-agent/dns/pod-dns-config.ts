// A pod's resolver configuration (CRI PodSandboxConfig.dns_config → its /etc/resolv.conf), per
// dnsPolicy as the kubelet builds it (pkg/kubelet/network/dns):
//   ClusterFirst (default)   cluster DNS only; search <ns>.svc.<domain> svc.<domain> <domain>
//                            + the host's search domains; options ndots:5. A hostNetwork pod
//                            gets Default instead.
//   ClusterFirstWithHostNet  ClusterFirst, also for hostNetwork pods.
//   Default                  the host's resolv.conf.
//   None                     nothing but the pod's spec.dnsConfig.
// spec.dnsConfig is then merged in (nameservers and searches appended without duplicates,
// options by name), and the result cut to the resolver limits with a DNSConfigForming warning.
// Without a cluster DNS (--cluster-dns none), ClusterFirst falls back to Default, as the kubelet does.
import type { KubeObject } from '../../api/types.js';
import type { DnsConfig } from '../runtime/container-runtime.js';
import { mergeOptions, type ResolvConf } from './resolv-conf.js';

export interface PodDnsSettings {
  /** The cluster domain (kubelet --cluster-domain). */
  clusterDomain: string;
  /** The cluster DNS server addresses; empty: there is none. */
  clusterDns: string[];
  /** The node's resolver configuration (kubelet --resolv-conf), read when a sandbox is made. */
  hostResolvConf(): ResolvConf;
}

export interface DnsWarning {
  reason: 'DNSConfigForming';
  message: string;
}

/** Limits of the API (core validation) and of libc resolvers. */
export const maxNameservers = 3;
export const maxSearchPaths = 32;
export const maxSearchListChars = 2048;
/** glibc aborts on a longer search domain (the kubelet drops them). */
const maxSearchDomainLength = 253;

interface PodDnsSpec {
  dnsPolicy?: string;
  hostNetwork?: boolean;
  dnsConfig?: {
    nameservers?: string[];
    searches?: string[];
    options?: { name?: string; value?: string }[];
  };
}

const unique = (list: readonly string[]): string[] => [...new Set(list)];

function baseConfig(pod: KubeObject, spec: PodDnsSpec, settings: PodDnsSettings): DnsConfig {
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'None') return { servers: [], searches: [], options: [] };
  const host = settings.hostResolvConf();
  const cluster = policy === 'ClusterFirstWithHostNet' || (policy !== 'Default' && spec.hostNetwork !== true);
  if (!cluster || settings.clusterDns.length === 0) {
    return { servers: [...host.nameservers], searches: [...host.searches], options: [...host.options] };
  }
  const domain = settings.clusterDomain;
  const namespace = pod.metadata.namespace ?? 'default';
  return {
    // The cluster DNS alone: it forwards what it does not own to the host's resolvers.
    servers: [...settings.clusterDns],
    searches: unique([`${namespace}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches]),
    options: ['ndots:5'],
  };
}

function fitSearches(searches: string[]): { searches: string[]; cut: boolean } {
  let cut = searches.length > maxSearchPaths;
  const kept = searches.slice(0, maxSearchPaths).filter((s) => s.length <= maxSearchDomainLength);
  if (kept.length < Math.min(searches.length, maxSearchPaths)) cut = true;
  while (kept.join(' ').length > maxSearchListChars) {
    kept.pop();
    cut = true;
  }
  return { searches: kept, cut };
}

export function podDnsConfig(
  pod: KubeObject,
  settings: PodDnsSettings,
): { config: DnsConfig; warnings: DnsWarning[] } {
  const spec = (pod.spec ?? {}) as PodDnsSpec;
  const config = baseConfig(pod, spec, settings);
  const extra = spec.dnsConfig;
  if (extra) {
    config.servers = unique([...config.servers, ...(extra.nameservers ?? [])]);
    config.searches = unique([...config.searches, ...(extra.searches ?? [])]);
    const options = (extra.options ?? [])
      .filter((o) => o.name)
      .map((o) => (o.value ? `${o.name}:${o.value}` : o.name!));
    config.options = mergeOptions(config.options, options);
  }
  const warnings: DnsWarning[] = [];
  if (config.servers.length > maxNameservers) {
    config.servers = config.servers.slice(0, maxNameservers);
    warnings.push({
      reason: 'DNSConfigForming',
      message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${config.servers.join(' ')}`,
    });
  }
  const fitted = fitSearches(config.searches);
  config.searches = fitted.searches;
  if (fitted.cut) {
    warnings.push({
      reason: 'DNSConfigForming',
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${config.searches.join(' ')}`,
    });
  }
  return { config, warnings };
}
