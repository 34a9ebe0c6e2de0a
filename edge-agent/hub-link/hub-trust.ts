// How the agent trusts its hub. TLS (mqtts://, wss://) is the default and is verified against
// one CA: the one given with --hub-ca-file, or the one kept in DIR/hub-ca.crt, or — the first
// time — the one the hub presents whose hash is the pin in the join string (ca-discovery.ts),
// which is then kept. Plain mqtt:// and ws:// need --hub-insecure-plaintext: the join token, the
// node key and the Secrets in the desired state would cross the network in clear.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../api/logger.js';
import { caCertHash, shortHash } from '../../api/mqtt/join-string.js';
import { UsageError } from '../../api/usage-error.js';
import { pinnedCa, presentedChain } from './ca-discovery.js';

export const hubCaFile = 'hub-ca.crt';

export interface HubTrustOptions {
  url: string;
  /** `sha256:<hex>` from the join string, if it carried one. */
  pin?: string | undefined;
  /** --hub-ca-file. */
  caFile?: string | undefined;
  /** --hub-insecure-plaintext. */
  insecurePlaintext?: boolean | undefined;
  dataDir: string;
  log: Logger;
}

export type TrustPlan =
  | { kind: 'plaintext' }
  | { kind: 'ca-file'; path: string }
  | { kind: 'kept' }
  | { kind: 'pin'; pin: string };

/** TLS options for mqtt.js: the one CA to verify the hub with (none for plain MQTT). */
export interface HubTlsOptions {
  ca?: string;
  rejectUnauthorized?: true;
}

const tlsSchemes = ['mqtts:', 'ssl:', 'wss:'];

/** What to trust, from the flags and whether a CA is kept; throws UsageError when nothing fits. */
export function trustPlan(options: Omit<HubTrustOptions, 'dataDir' | 'log'>, kept: boolean): TrustPlan {
  const scheme = new URL(options.url).protocol;
  if (!tlsSchemes.includes(scheme)) {
    if (options.caFile !== undefined)
      throw new UsageError(`--hub-ca-file needs a TLS hub URL (mqtts:// or wss://), got ${options.url}`);
    if (!options.insecurePlaintext)
      throw new UsageError(
        `--hub ${options.url}: plain MQTT carries the join token and Secrets in clear; use mqtts:// (the hub's TLS port, 8883 by default) or pass --hub-insecure-plaintext`,
      );
    return { kind: 'plaintext' };
  }
  if (options.insecurePlaintext)
    throw new UsageError(`--hub-insecure-plaintext is for mqtt:// and ws:// URLs, not ${scheme}//`);
  if (options.caFile !== undefined) return { kind: 'ca-file', path: options.caFile };
  if (options.pin !== undefined) return { kind: 'pin', pin: options.pin };
  if (kept) return { kind: 'kept' };
  throw new UsageError(
    "--token carries no CA hash and no hub CA is kept yet: give the whole join string (the hub's DATA_DIR/node-token, <token>::sha256:<hex>) or --hub-ca-file FILE",
  );
}

export class HubTrust {
  readonly plan: TrustPlan;
  private ca: string | undefined;
  private readonly keptPath: string;

  /** Throws UsageError for flags that cannot work, before anything connects. */
  constructor(private readonly options: HubTrustOptions) {
    this.keptPath = join(options.dataDir, hubCaFile);
    this.plan = trustPlan(options, existsSync(this.keptPath));
    if (this.plan.kind === 'ca-file') this.ca = this.readCaFile(this.plan.path);
    if (this.plan.kind === 'kept') this.ca = readFileSync(this.keptPath, 'utf8');
    if (this.plan.kind === 'pin' && existsSync(this.keptPath)) {
      const kept = readFileSync(this.keptPath, 'utf8');
      // A kept CA that is not the pinned one (a new hub, a new join string) is found again.
      if (safeHash(kept) === this.plan.pin) this.ca = kept;
    }
  }

  /** Options for the next connection attempt; rejects (to be retried) while the pinned CA is not found. */
  async clientOptions(): Promise<HubTlsOptions> {
    if (this.plan.kind === 'plaintext') return {};
    if (this.ca === undefined && this.plan.kind === 'pin') this.ca = await this.discover(this.plan.pin);
    return { ca: this.ca as string, rejectUnauthorized: true };
  }

  private async discover(pin: string): Promise<string> {
    const ca = pinnedCa(await presentedChain(new URL(this.options.url)), pin);
    const temp = `${this.keptPath}.${process.pid}.tmp`;
    writeFileSync(temp, ca, { mode: 0o644 });
    renameSync(temp, this.keptPath);
    this.options.log.info(
      `the hub's CA ${shortHash(pin)} matches the join string's pin; kept in ${this.keptPath}`,
    );
    return ca;
  }

  private readCaFile(path: string): string {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UsageError(`--hub-ca-file: cannot read ${path}: ${(err as Error).message}`);
    }
    const hash = safeHash(pem);
    if (hash === undefined) throw new UsageError(`--hub-ca-file: ${path} holds no PEM certificate`);
    if (this.options.pin !== undefined && hash !== this.options.pin)
      throw new UsageError(
        `--hub-ca-file: ${path} is CA ${shortHash(hash)}, not the ${shortHash(this.options.pin)} pinned in the join string`,
      );
    return pem;
  }
}

function safeHash(pem: string): string | undefined {
  try {
    return caCertHash(pem);
  } catch {
    return undefined;
  }
}
