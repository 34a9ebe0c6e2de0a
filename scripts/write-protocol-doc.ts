// Writes firmware-notes/protocol.md from the route table (`npm run docs:protocol`). The text
// itself is rendered in api/mqtt/protocol-doc.ts, which does no I/O; this script only writes it.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderProtocolDoc } from '../api/mqtt/protocol-doc.js';

export const protocolDocPath = fileURLToPath(new URL('../firmware-notes/protocol.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(protocolDocPath, renderProtocolDoc());
  console.log(`wrote ${protocolDocPath}`);
}
