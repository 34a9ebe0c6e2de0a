import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../../../api/usage-error.js';
import { runKubeconfigCommand } from '../../../cli/kubeconfig-command.js';
import { userOfCertificate } from '../../../hub/apiserver/auth/authenticate.js';
import { adminKubeconfig } from '../../../hub/kubeconfig.js';
import { createCertificateAuthority } from '../../../hub/pki/certificate-authority.js';

describe('flotilla kubeconfig', () => {
  let dir: string;
  let caPem: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-kubeconfig-'));
    const ca = await createCertificateAuthority('flotilla-ca');
    caPem = ca.certPem;
    mkdirSync(join(dir, 'pki'));
    writeFileSync(join(dir, 'pki', 'ca.crt'), ca.certPem);
    writeFileSync(join(dir, 'pki', 'ca.key'), ca.keyPem);
    writeFileSync(
      join(dir, 'admin.kubeconfig'),
      adminKubeconfig('https://hub.example:6443', ca.certPem, 'tok'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a kubeconfig whose certificate the hub CA signed for the user and groups', async () => {
    const out = join(dir, 'alice.kubeconfig');
    await runKubeconfigCommand([
      '--user',
      'alice',
      '--group',
      'plant-it',
      '--group',
      'vendors',
      '--expiration',
      '48h',
      '--out',
      out,
      '--data-dir',
      dir,
    ]);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const config = parse(readFileSync(out, 'utf8'));
    assert.equal(config['current-context'], 'alice@flotilla');
    assert.equal(config.clusters[0].cluster.server, 'https://hub.example:6443');
    const user = config.users[0].user;
    const cert = new X509Certificate(Buffer.from(user['client-certificate-data'], 'base64'));
    assert.equal(cert.verify(new X509Certificate(caPem).publicKey), true);
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    assert.ok(days > 1.9 && days <= 2.01, `valid for ${days} days`);
    assert.ok(Buffer.from(user['client-key-data'], 'base64').toString().includes('PRIVATE KEY'));
    assert.deepEqual(
      userOfCertificate({
        subject: { CN: 'alice', O: ['plant-it', 'vendors'] },
        ext_key_usage: cert.keyUsage ?? [],
      }),
      { name: 'alice', groups: ['plant-it', 'vendors', 'system:authenticated'] },
    );
    assert.match(cert.subject, /CN=alice/);
    assert.match(cert.subject, /O=plant-it/);
  });

  it('refuses to run without a user or a hub data dir', async () => {
    await assert.rejects(runKubeconfigCommand(['--data-dir', dir]), UsageError);
    await assert.rejects(
      runKubeconfigCommand(['--user', 'a', '--data-dir', join(dir, 'nope')]),
      /holds no hub CA/,
    );
    await assert.rejects(
      runKubeconfigCommand(['--user', 'a', '--expiration', '1d', '--data-dir', dir]),
      /--expiration must be a duration/,
    );
  });

  it('reads no user from a certificate that is not for clients', () => {
    assert.equal(
      userOfCertificate({ subject: { CN: 'flotilla-apiserver' }, ext_key_usage: ['1.3.6.1.5.5.7.3.1'] }),
      undefined,
    );
  });
});
