// The host's resolver configuration (resolv.conf(5)): the upstreams the service DNS forwards
// to, and what pods with dnsPolicy Default (or ClusterFirst without a cluster DNS) inherit,
// the way the kubelet reads its --resolv-conf file.
import { readFileSync, statSync } from 'node:fs';
import { type Logger, silentLogger } from '../../api/logger.js';

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  /** `name` or `name:value`, one entry per option name (a later one wins). */
  options: string[];
}

export const emptyResolvConf: ResolvConf = { nameservers: [], searches: [], options: [] };

/** Options by name; a later `ndots:2` replaces an earlier `ndots:5`, order of first mention kept. */
export function mergeOptions(base: readonly string[], extra: readonly string[]): string[] {
  const byName = new Map<string, string>();
  for (const option of [...base, ...extra]) byName.set(option.split(':')[0]!, option);
  return [...byName.values()];
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [keyword, ...fields] = line.split(/\s+/);
    if (keyword === 'nameserver' && fields[0]) conf.nameservers.push(fields[0]);
    // The last `search` or `domain` line wins (resolv.conf(5)); "." adds nothing.
    if (keyword === 'search' || (keyword === 'domain' && fields[0])) {
      const list = keyword === 'domain' ? fields.slice(0, 1) : fields;
      conf.searches = list.filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
    }
    if (keyword === 'options') conf.options = mergeOptions(conf.options, fields);
  }
  return conf;
}

/**
 * The file, re-read when it changes (DHCP and VPN clients rewrite it on gateways), looked at
 * no more than once per `checkEveryMs`. A missing file reads as empty: no upstreams, and pods
 * inherit nothing.
 */
export class HostResolvConf {
  private conf: ResolvConf = emptyResolvConf;
  private stamp = '';
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly path: string,
    private readonly log: Logger = silentLogger,
    private readonly checkEveryMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  current(): ResolvConf {
    if (this.now() - this.checkedAt < this.checkEveryMs) return this.conf;
    this.checkedAt = this.now();
    let stamp: string;
    try {
      const stat = statSync(this.path);
      stamp = `${stat.mtimeMs}/${stat.size}/${stat.ino}`;
    } catch {
      stamp = 'missing';
    }
    if (stamp === this.stamp) return this.conf;
    this.stamp = stamp;
    try {
      this.conf = parseResolvConf(readFileSync(this.path, 'utf8'));
    } catch (err) {
      this.conf = emptyResolvConf;
      this.log.warn(`cannot read ${this.path}: ${(err as Error).message}; no upstream resolvers`);
    }
    return this.conf;
  }
}
