// Writes firmware-notes/protocol.md from the route table: `npx tsx api/mqtt/write-protocol-doc.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderProtocolDoc } from './protocol-doc.js';

export const protocolDocPath = fileURLToPath(new URL('../../firmware-notes/protocol.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(protocolDocPath, renderProtocolDoc());
  console.log(`wrote ${protocolDocPath}`);
}
