// Everything the hub needs to serve HTTPS and let its admin in: CA, serving certificate and
// admin bearer token, kept under DIR/pki and DIR/tokens and reused across restarts.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { readIfExists, writeSecretFile } from '../data-dir.js';
import {
  createCertificateAuthority,
  issueServingCertificate,
  type KeyPairPem,
  loadCertificateAuthority,
  type ServingNames,
  servingCertificateFits,
} from './certificate-authority.js';

export interface HubCredentials {
  ca: KeyPairPem;
  serving: KeyPairPem;
  adminToken: string;
}

async function loadOrCreateCa(pkiDir: string): Promise<Awaited<ReturnType<typeof loadCertificateAuthority>>> {
  const certPem = readIfExists(join(pkiDir, 'ca.crt'));
  const keyPem = readIfExists(join(pkiDir, 'ca.key'));
  if (certPem && keyPem) return loadCertificateAuthority({ certPem, keyPem });
  const ca = await createCertificateAuthority('flotilla-ca');
  writeSecretFile(join(pkiDir, 'ca.key'), ca.keyPem);
  writeSecretFile(join(pkiDir, 'ca.crt'), ca.certPem);
  return ca;
}

function loadOrCreateToken(path: string): string {
  const existing = readIfExists(path)?.trim();
  if (existing) return existing;
  const token = randomBytes(32).toString('hex');
  writeSecretFile(path, `${token}\n`);
  return token;
}

/** Names the serving certificate must cover for clients on this machine and on `bind`. */
export function servingNames(bind: string): ServingNames {
  const dns = ['localhost', 'flotilla-hub', hostname()];
  const ips = ['127.0.0.1', '::1'];
  if (bind === '0.0.0.0' || bind === '::') {
    for (const list of Object.values(networkInterfaces())) {
      for (const addr of list ?? [])
        if (!ips.includes(addr.address) && !addr.address.startsWith('fe80')) ips.push(addr.address);
    }
  } else if (/^[\d.:a-f]+$/i.test(bind)) {
    if (!ips.includes(bind)) ips.push(bind);
  } else if (!dns.includes(bind)) {
    dns.push(bind);
  }
  return { dns: [...new Set(dns)], ips };
}

export async function loadHubCredentials(dataDir: string, bind: string): Promise<HubCredentials> {
  const pkiDir = join(dataDir, 'pki');
  const tokenDir = join(dataDir, 'tokens');
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
  const ca = await loadOrCreateCa(pkiDir);
  const names = servingNames(bind);
  let certPem = readIfExists(join(pkiDir, 'apiserver.crt'));
  let keyPem = readIfExists(join(pkiDir, 'apiserver.key'));
  if (!certPem || !keyPem || !(await servingCertificateFits(certPem, ca, names))) {
    ({ certPem, keyPem } = await issueServingCertificate(ca, 'flotilla-apiserver', names));
    writeSecretFile(join(pkiDir, 'apiserver.key'), keyPem);
    writeSecretFile(join(pkiDir, 'apiserver.crt'), certPem);
  }
  return {
    ca: { certPem: ca.certPem, keyPem: ca.keyPem },
    serving: { certPem, keyPem },
    adminToken: loadOrCreateToken(join(tokenDir, 'admin')),
  };
}

/** Constant-time comparison, so a token cannot be guessed byte by byte from response times. */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
