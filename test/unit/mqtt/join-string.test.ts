import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { caCertHash, formatJoinString, parseJoinString } from '../../../api/mqtt/join-string.js';
import { createCertificateAuthority } from '../../../hub/pki/certificate-authority.js';

const hash = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('join string', () => {
  it('carries the token and the CA pin, and reads back what it wrote', () => {
    const text = formatJoinString('abc.0123456789abcdef', hash);
    assert.equal(text, `abc.0123456789abcdef::${hash}`);
    assert.deepEqual(parseJoinString(text), {
      ok: true,
      value: { token: 'abc.0123456789abcdef', caCertHash: hash },
    });
  });

  it('takes a bare token as a token without a pin', () => {
    assert.deepEqual(parseJoinString('4f2a'), { ok: true, value: { token: '4f2a' } });
  });

  it('accepts an upper-case hash as kubeadm does, and keeps it lower-case', () => {
    const parsed = parseJoinString(`t::${hash.toUpperCase()}`);
    assert.deepEqual(parsed, { ok: true, value: { token: 't', caCertHash: hash } });
  });

  it('refuses an empty string, an empty token, and a pin that is not sha256 with 64 hex digits', () => {
    assert.deepEqual(parseJoinString(''), { ok: false, error: 'empty' });
    assert.deepEqual(parseJoinString(`::${hash}`), { ok: false, error: 'the token before "::" is empty' });
    for (const bad of ['t::sha256:abc', `t::sha1:${'0'.repeat(64)}`, `t::${'0'.repeat(64)}`, 't::'])
      assert.match((parseJoinString(bad) as { error: string }).error, /must be sha256: and 64 hex digits/);
  });

  it("hashes the CA certificate's SubjectPublicKeyInfo, as kubeadm's pubkeypin does", async () => {
    const ca = await createCertificateAuthority('flotilla-ca');
    const spki = Buffer.from(new x509.X509Certificate(ca.certPem).publicKey.rawData);
    const expected = `sha256:${createHash('sha256').update(spki).digest('hex')}`;
    assert.equal(caCertHash(ca.certPem), expected);
    assert.equal(caCertHash(Buffer.from(new x509.X509Certificate(ca.certPem).rawData)), expected);
  });
});
