// The broker's shared secrets, kept in the data dir and reused across restarts: the read-only
// dashboard token and the hub's own client token; and DIR/node-token, the join string of the
// default bootstrap token the hub creates at its first start, so the quick start's
// `flotilla agent --token` works (hub/pki/join-string-file.ts writes it with the CA's pin).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isExpired, parseBootstrapToken } from '../../api/bootstrap-token.js';
import type { Clock } from '../../api/clock.js';
import type { Logger } from '../../api/logger.js';
import { parseJoinString } from '../../api/mqtt/join-string.js';
import { readIfExists, writeSecretFile } from '../data-dir.js';
import type { BootstrapTokens } from './bootstrap-tokens.js';

export interface BrokerTokens {
  /** DIR/dashboard-token: password of username `dashboard` (read-only). */
  dashboard: string;
  /** DIR/mqtt-hub-token: the hub's own MQTT clients (edge sync, the Sparkplug edge nodes). */
  hub: string;
  /** DIR/sparkplug-token: password of username `sparkplug` (SCADA host applications). */
  sparkplug: string;
}

export const tokenFiles = {
  node: 'node-token',
  dashboard: 'dashboard-token',
  hub: 'mqtt-hub-token',
  sparkplug: 'sparkplug-token',
} as const;

/** Reads a token file, or creates it (0600) with a fresh random token. */
export function loadOrCreateToken(path: string): string {
  const existing = readIfExists(path)?.trim();
  if (existing) return existing;
  // Hex, not base64url: a token starting with '-' reads as a flag to `flotilla agent --token`
  // (and to most shells' tools), which happened one time in 64.
  const token = randomBytes(24).toString('hex');
  writeSecretFile(path, `${token}\n`);
  return token;
}

export function loadBrokerTokens(dataDir: string): BrokerTokens {
  return {
    dashboard: loadOrCreateToken(join(dataDir, tokenFiles.dashboard)),
    hub: loadOrCreateToken(join(dataDir, tokenFiles.hub)),
    sparkplug: loadOrCreateToken(join(dataDir, tokenFiles.sparkplug)),
  };
}

/** DIR/node-token's token (of its join string), or undefined before the hub's first start. */
export function readNodeToken(dataDir: string): string | undefined {
  const content = readIfExists(join(dataDir, tokenFiles.node))?.trim() ?? '';
  const parsed = parseJoinString(content);
  return (parsed.ok ? parsed.value.token : content) || undefined;
}

/**
 * The bootstrap token of DIR/node-token. At the first start (no file, or one from before
 * bootstrap tokens) a new one with kubeadm's 24 h lifetime. Later starts never make a new one — a
 * restart must not extend a join window — and say when the file's token is no longer valid. The
 * caller writes the file (as a join string).
 */
export async function ensureNodeToken(
  dataDir: string,
  tokens: BootstrapTokens,
  clock: Clock,
  log: Logger,
): Promise<string> {
  const path = join(dataDir, tokenFiles.node);
  const existing = readNodeToken(dataDir);
  const parsed = existing ? parseBootstrapToken(existing) : undefined;
  if (parsed) {
    const stored = await tokens.stored(parsed.id);
    const usable = stored && typeof stored !== 'string' && !isExpired(stored, clock.now());
    if (!usable) {
      log.info(
        `${path} holds an expired or deleted bootstrap token; new gateways join with one from \`flotilla token create --data-dir ${dataDir}\``,
      );
    }
    return existing as string;
  }
  if (existing) log.info(`${path} held a join token of an older format; replaced by a bootstrap token`);
  return tokens.create({ description: `the default token the hub wrote to ${path}` });
}
