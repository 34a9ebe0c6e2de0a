// The agent's service DNS flags (--cluster-domain, --cluster-dns, --resolv-conf), checked at
// the command line with field-naming messages. Kept free of the server's modules so that flag
// parsing stays light.

import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { isDNS1123Subdomain } from '../../api/validation/name-formats.js';

export const defaultClusterDns = '169.254.20.10';
export const defaultClusterDomain = 'cluster.local';
export const defaultResolvConf = '/etc/resolv.conf';

export const dnsFlagsUsage = `  --cluster-domain DOMAIN          the cluster's DNS domain (default ${defaultClusterDomain})
  --cluster-dns ADDR|none          the IPv4 address pods send DNS queries to; the agent puts it on
                                   flotilla-dns0 and answers on port 53 (default ${defaultClusterDns};
                                   none with --runtime fake). none: no service DNS, pods get the
                                   host's resolvers
  --resolv-conf PATH               the host's resolvers: upstreams of the service DNS, and what
                                   dnsPolicy Default pods get (default ${defaultResolvConf})`;

/** The flags' part of ClusterDnsOptions. */
export interface DnsFlags {
  clusterDomain?: string;
  clusterDns?: string;
  resolvConf?: string;
}

export type DnsFlagsResult = { ok: true; value: DnsFlags } | { ok: false; error: string };

function invalid(flag: string, value: string, why: string): DnsFlagsResult {
  return { ok: false, error: `${flag}: Invalid value: ${JSON.stringify(value)}: ${why}` };
}

export function parseDnsFlags(values: {
  'cluster-domain'?: string | boolean | undefined;
  'cluster-dns'?: string | boolean | undefined;
  'resolv-conf'?: string | boolean | undefined;
}): DnsFlagsResult {
  const value: DnsFlags = {};
  const domain = values['cluster-domain'];
  if (typeof domain === 'string') {
    const bare = domain.replace(/\.$/, '');
    const problems = isDNS1123Subdomain(bare);
    if (problems.length > 0) return invalid('--cluster-domain', domain, problems.join('; '));
    value.clusterDomain = bare;
  }
  const address = values['cluster-dns'];
  if (typeof address === 'string') {
    // One address: pods get exactly one nameserver, the agent listens on exactly one.
    if (address !== 'none' && isIP(address) !== 4)
      return invalid('--cluster-dns', address, 'must be an IPv4 address such as 169.254.20.10, or none');
    value.clusterDns = address;
  }
  const resolvConf = values['resolv-conf'];
  if (typeof resolvConf === 'string') {
    if (resolvConf === '') return invalid('--resolv-conf', resolvConf, 'must be a file');
    value.resolvConf = resolve(resolvConf);
  }
  return { ok: true, value };
}
