// The hub's certificate authority and HTTPS serving certificate (ECDSA P-256, through
// @peculiar/x509 on Node's WebCrypto). Created on first start under DIR/pki and reused after;
// the serving certificate is re-issued when the addresses it must cover change or it nears expiry.
// @peculiar/x509 2.x resolves its algorithm providers through tsyringe, which needs a Reflect
// metadata polyfill loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const dayMs = 24 * 60 * 60 * 1000;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority extends KeyPairPem {
  cert: x509.X509Certificate;
  privateKey: CryptoKey;
}

function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return webcrypto.subtle.importKey('pkcs8', Buffer.from(b64, 'base64'), algorithm, true, ['sign']);
}

export async function createCertificateAuthority(
  commonName: string,
  now = new Date(),
): Promise<CertificateAuthority> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${commonName}`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 3650 * dayMs),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    cert,
    privateKey: keys.privateKey,
    certPem: cert.toString('pem'),
    keyPem: await privateKeyPem(keys.privateKey),
  };
}

export async function loadCertificateAuthority(pem: KeyPairPem): Promise<CertificateAuthority> {
  return {
    ...pem,
    cert: new x509.X509Certificate(pem.certPem),
    privateKey: await importPrivateKey(pem.keyPem),
  };
}

export interface ServingNames {
  dns: string[];
  ips: string[];
}

export async function issueServingCertificate(
  ca: CertificateAuthority,
  commonName: string,
  names: ServingNames,
  now = new Date(),
): Promise<KeyPairPem> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${commonName}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 365 * dayMs),
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** True when `certPem` is signed by `ca`, covers every name asked for, and is valid for 30 more days. */
export async function servingCertificateFits(
  certPem: string,
  ca: CertificateAuthority,
  names: ServingNames,
  now = new Date(),
): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(certPem);
    if (cert.notAfter.getTime() - now.getTime() < 30 * dayMs) return false;
    if (!(await cert.verify({ publicKey: ca.cert.publicKey, signatureOnly: true }))) return false;
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    const present = new Set((san?.names.toJSON() ?? []).map((n) => `${n.type}:${n.value}`));
    return [...names.dns.map((d) => `dns:${d}`), ...names.ips.map((i) => `ip:${i}`)].every((n) =>
      present.has(n),
    );
  } catch {
    return false;
  }
}

export interface ClientIdentity {
  /** The user (CN). */
  user: string;
  /** The user's groups (one O each). */
  groups: readonly string[];
  validForMs: number;
}

/**
 * A client certificate for a user of the API (kube-apiserver's x509 authenticator reads CN as
 * the user and each O as a group). Only clientAuth: it cannot serve.
 */
export async function issueClientCertificate(
  ca: CertificateAuthority,
  identity: ClientIdentity,
  now = new Date(),
): Promise<KeyPairPem> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const subject = new x509.Name([
    ...identity.groups.map((group) => ({ O: [group] })),
    { CN: [identity.user] },
  ]);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + identity.validForMs),
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}
