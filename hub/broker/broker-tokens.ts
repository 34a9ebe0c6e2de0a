// The broker's shared secrets, kept in the data dir and reused across restarts: the join token
// gateways present, the read-only dashboard token and the hub's own client token.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseJoinString } from '../../api/mqtt/join-string.js';
import { readIfExists, writeSecretFile } from '../data-dir.js';

export interface BrokerTokens {
  /** The token of DIR/node-token (which holds the join string, `<token>::sha256:<CA hash>`). */
  node: string;
  /** DIR/dashboard-token: password of username `dashboard` (read-only). */
  dashboard: string;
  /** DIR/mqtt-hub-token: the hub's own MQTT client (edge sync). */
  hub: string;
}

export const tokenFiles = {
  node: 'node-token',
  dashboard: 'dashboard-token',
  hub: 'mqtt-hub-token',
} as const;

/** Reads a token file, or creates it (0600) with a fresh random token; of a join string, the token. */
export function loadOrCreateToken(path: string): string {
  const content = readIfExists(path)?.trim() ?? '';
  const parsed = parseJoinString(content);
  const existing = parsed.ok ? parsed.value.token : content;
  if (existing) return existing;
  // Hex, not base64url: a token starting with '-' reads as a flag to `flotilla agent --token`
  // (and to most shells' tools), which happened one time in 64.
  const token = randomBytes(24).toString('hex');
  writeSecretFile(path, `${token}\n`);
  return token;
}

export function loadBrokerTokens(dataDir: string): BrokerTokens {
  return {
    node: loadOrCreateToken(join(dataDir, tokenFiles.node)),
    dashboard: loadOrCreateToken(join(dataDir, tokenFiles.dashboard)),
    hub: loadOrCreateToken(join(dataDir, tokenFiles.hub)),
  };
}
