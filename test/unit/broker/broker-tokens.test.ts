import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caCertHash } from '../../../api/mqtt/join-string.js';
import { loadBrokerTokens, readNodeToken } from '../../../hub/broker/broker-tokens.js';
import { createCertificateAuthority } from '../../../hub/pki/certificate-authority.js';
import { writeJoinString } from '../../../hub/pki/join-string-file.js';

describe('broker tokens', () => {
  it('creates tokens that can never be mistaken for a command-line flag, and keeps them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-tokens-'));
    try {
      const created = Array.from({ length: 40 }, (_, i) => {
        const sub = join(dir, String(i));
        mkdirSync(sub);
        return loadBrokerTokens(sub).dashboard;
      });
      for (const token of created) assert.match(token, /^[0-9a-f]{48}$/);
      const tokens = loadBrokerTokens(join(dir, '0'));
      assert.equal(tokens.dashboard, created[0]);
      assert.equal(readFileSync(join(dir, '0', 'dashboard-token'), 'utf8'), `${tokens.dashboard}\n`);
      assert.equal(statSync(join(dir, '0', 'dashboard-token')).mode & 0o777, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the join string into node-token, and reads the token back out of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-tokens-'));
    try {
      const node = 'abcdef.0123456789abcdef';
      const ca = await createCertificateAuthority('flotilla-ca');
      const joinString = writeJoinString(dir, node, ca.certPem);
      assert.equal(joinString, `${node}::${caCertHash(ca.certPem)}`);
      assert.equal(readFileSync(join(dir, 'node-token'), 'utf8'), `${joinString}\n`);
      assert.equal(readNodeToken(dir), node);
      // A new CA: same token, new pin.
      const next = await createCertificateAuthority('flotilla-ca');
      assert.equal(writeJoinString(dir, node, next.certPem), `${node}::${caCertHash(next.certPem)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
