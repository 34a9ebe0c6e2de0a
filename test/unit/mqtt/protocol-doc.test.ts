import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { regenerateCommand, renderProtocolDoc } from '../../../api/mqtt/protocol-doc.js';
import { routeList } from '../../../api/mqtt/route-table.js';
import { protocolDocPath } from '../../../scripts/write-protocol-doc.js';

describe('firmware-notes/protocol.md', () => {
  it('is what the route table renders', () => {
    const committed = readFileSync(protocolDocPath, 'utf8');
    assert.ok(
      committed === renderProtocolDoc(),
      `firmware-notes/protocol.md is out of date with api/mqtt/route-table.ts; regenerate it with: ${regenerateCommand}`,
    );
  });

  it('lists every route with an example payload', () => {
    const doc = renderProtocolDoc();
    for (const route of routeList) {
      assert.ok(doc.includes(`| \`${route.pattern}\` |`), route.pattern);
      assert.ok(doc.includes(`### ${route.name}\n`), route.name);
    }
  });
});
