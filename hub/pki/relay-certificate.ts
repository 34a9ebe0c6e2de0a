// The serving certificate of a gateway's API relay (edge-agent/api-relay): signed by the hub's CA,
// which pods trust as their ca.crt, for the names pods reach the API by (kubernetes,
// kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.<cluster domain> and the
// `kubernetes` Service's ClusterIP). Like a kubelet serving certificate it is bound to the
// gateway: the subject is system:node:<node>, the key is the gateway's own (only its public key
// crossed the link), and the names are the hub's choice, never the gateway's. Every gateway's
// relay carries the same names: a pod reaches only its own gateway's relay (the agent points the
// ClusterIP there), so the names say "the API as this gateway serves it".
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CertificateAuthority } from './certificate-authority.js';

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const dayMs = 24 * 60 * 60 * 1000;
/** Re-asked for by the agent when less than a third is left. */
export const relayCertificateDays = 90;

export function relayServingNames(
  clusterIP: string,
  clusterDomain = 'cluster.local',
): { dns: string[]; ips: string[] } {
  return {
    dns: [
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      `kubernetes.default.svc.${clusterDomain}`,
    ],
    ips: [clusterIP],
  };
}

/** Throws (a message naming publicKeyPem) when the key is not an ECDSA P-256 SubjectPublicKeyInfo. */
export async function issueRelayCertificate(
  ca: CertificateAuthority,
  node: string,
  publicKeyPem: string,
  clusterIP: string,
  now = new Date(),
): Promise<string> {
  const b64 = publicKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  let publicKey: webcrypto.CryptoKey;
  try {
    publicKey = await webcrypto.subtle.importKey('spki', Buffer.from(b64, 'base64'), algorithm, true, [
      'verify',
    ]);
  } catch (err) {
    throw new Error(`publicKeyPem: must be an ECDSA P-256 public key (${(err as Error).message})`);
  }
  const names = relayServingNames(clusterIP);
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(bytes).toString('hex'),
    subject: `O=system:nodes, CN=system:node:${node}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + relayCertificateDays * dayMs),
    publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return cert.toString('pem');
}
