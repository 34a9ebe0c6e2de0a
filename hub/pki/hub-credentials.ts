// Everything the hub needs to serve HTTPS and MQTT over TLS and let its admin in: CA, the API's
// serving certificate, the MQTT broker's serving certificate and the admin bearer token, kept
// under DIR/pki and DIR/tokens and reused across restarts.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { readIfExists, writeSecretFile } from '../data-dir.js';
import {
  type CertificateAuthority,
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
  /** The embedded MQTT broker's certificate (same names as the API's, its own key). */
  broker: KeyPairPem;
  adminToken: string;
}

async function loadOrCreateCa(pkiDir: string): Promise<CertificateAuthority> {
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

/**
 * Names the serving certificates must cover for clients on this machine and on `bind`, plus
 * `extra` (`--tls-san`: the names gateways reach the hub by through DNS or NAT).
 */
export function servingNames(bind: string, extra: string[] = []): ServingNames {
  const dns = ['localhost', 'flotilla-hub', hostname()];
  const ips = ['127.0.0.1', '::1'];
  for (const name of extra) (isIP(name) !== 0 ? ips : dns).push(name);
  if (bind === '0.0.0.0' || bind === '::') {
    for (const list of Object.values(networkInterfaces())) {
      for (const addr of list ?? [])
        if (!ips.includes(addr.address) && !addr.address.startsWith('fe80')) ips.push(addr.address);
    }
  } else if (isIP(bind) !== 0) {
    if (!ips.includes(bind)) ips.push(bind);
  } else if (!dns.includes(bind)) {
    dns.push(bind);
  }
  return { dns: [...new Set(dns)], ips: [...new Set(ips)] };
}

/** DIR/pki/<file>.crt and .key, re-issued when they no longer fit the CA, the names or the date. */
async function loadOrIssueServing(
  pkiDir: string,
  file: string,
  ca: CertificateAuthority,
  names: ServingNames,
): Promise<KeyPairPem> {
  let certPem = readIfExists(join(pkiDir, `${file}.crt`));
  let keyPem = readIfExists(join(pkiDir, `${file}.key`));
  if (!certPem || !keyPem || !(await servingCertificateFits(certPem, ca, names))) {
    ({ certPem, keyPem } = await issueServingCertificate(ca, `flotilla-${file}`, names));
    writeSecretFile(join(pkiDir, `${file}.key`), keyPem);
    writeSecretFile(join(pkiDir, `${file}.crt`), certPem);
  }
  return { certPem, keyPem };
}

export async function loadHubCredentials(
  dataDir: string,
  bind: string,
  tlsSans: string[] = [],
): Promise<HubCredentials> {
  const pkiDir = join(dataDir, 'pki');
  const tokenDir = join(dataDir, 'tokens');
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
  const ca = await loadOrCreateCa(pkiDir);
  const names = servingNames(bind, tlsSans);
  return {
    ca: { certPem: ca.certPem, keyPem: ca.keyPem },
    serving: await loadOrIssueServing(pkiDir, 'apiserver', ca, names),
    broker: await loadOrIssueServing(pkiDir, 'mqtt-broker', ca, names),
    adminToken: loadOrCreateToken(join(tokenDir, 'admin')),
  };
}

/** Constant-time comparison, so a token cannot be guessed byte by byte from response times. */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
