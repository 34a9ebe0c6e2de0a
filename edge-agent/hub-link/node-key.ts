// The node key: a random secret generated once per gateway and kept in the data dir (0600). The
// broker binds a node name to the key of its live session, so a second gateway claiming the same
// name is refused while the first is up, and this gateway gets its own session back after a
// restart (api/mqtt/credentials.ts).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, silentLogger } from '../../api/logger.js';
import { nodeKeyPattern } from '../../api/mqtt/credentials.js';

export const nodeKeyFile = 'node-key';

export function loadOrCreateNodeKey(dataDir: string, log: Logger = silentLogger): string {
  const file = join(dataDir, nodeKeyFile);
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (nodeKeyPattern.test(key)) {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return key;
    }
    log.warn(`${file} does not hold a node key; generating a new one`);
  }
  const key = randomBytes(32).toString('base64url');
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${key}\n`, { mode: 0o600 });
  renameSync(temp, file);
  return key;
}
