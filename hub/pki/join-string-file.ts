// DIR/node-token holds the join string gateways are given: the join token and the pin of the
// hub's CA (api/mqtt/join-string.ts). Rewritten whenever either changes (a data dir from before
// TLS holds a bare token; a new CA changes the pin), so the file is always what to hand out.
import { join } from 'node:path';
import { caCertHash, formatJoinString } from '../../api/mqtt/join-string.js';
import { tokenFiles } from '../broker/broker-tokens.js';
import { readIfExists, writeSecretFile } from '../data-dir.js';

/** Writes DIR/node-token as `<token>::sha256:<hash of the CA>` unless it says that already. */
export function writeJoinString(dataDir: string, token: string, caCertPem: string): string {
  const path = join(dataDir, tokenFiles.node);
  const joinString = formatJoinString(token, caCertHash(caCertPem));
  if (readIfExists(path)?.trim() !== joinString) writeSecretFile(path, `${joinString}\n`);
  return joinString;
}
