// The first TLS contact with a hub whose CA the agent does not hold yet, as kubeadm's token
// discovery does it: a TLS handshake that trusts nothing, only to see the certificate chain the
// hub presents; the CA in it is accepted only when its SubjectPublicKeyInfo hash is the pin in
// the join string. No MQTT byte is sent on this connection, so a wrong hub never sees the token.
// The CA found is then the only trust anchor of the real connection, which verifies the hub's
// certificate (signature, validity, host name) as any TLS client does: an impostor that
// presents the genuine CA certificate next to a certificate of its own is refused there.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { caCertHash, shortHash } from '../../api/mqtt/join-string.js';

export class CaPinMismatchError extends Error {
  override name = 'CaPinMismatchError';
}

const defaultPorts: Record<string, number> = { 'mqtts:': 8883, 'ssl:': 8883, 'wss:': 443 };

/** The certificates the server at `url` presents, leaf first. */
export function presentedChain(url: URL, timeoutMs = 10_000): Promise<X509Certificate[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || defaultPorts[url.protocol] || 8883);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      // Nothing is trusted yet: this connection only reads the chain, and sends nothing.
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.once('error', fail);
    socket.once('timeout', () => fail(new Error(`no TLS handshake from ${host}:${port} in ${timeoutMs} ms`)));
    socket.once('secureConnect', () => {
      const chain: X509Certificate[] = [];
      let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      const seen = new Set<string>();
      while (cert?.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        chain.push(new X509Certificate(cert.raw));
        cert = cert.issuerCertificate;
      }
      socket.destroy();
      resolve(chain);
    });
  });
}

/**
 * The CA certificate (PEM) in `chain` whose hash is `pin`; throws CaPinMismatchError without one.
 * The chain is what the TLS stack linked from the hub's certificate by issuer, so a CA
 * certificate merely sent along, without having issued the hub's certificate, is not in it.
 */
export function pinnedCa(chain: X509Certificate[], pin: string): string {
  const match = chain.find((cert) => cert.ca && caCertHash(cert) === pin);
  if (match) return match.toString();
  const top = chain.at(-1);
  const end = top ? `${top.subject.replaceAll('\n', ', ')} ${shortHash(caCertHash(top))}` : 'nothing';
  throw new CaPinMismatchError(
    `the hub's certificate does not chain to the CA ${shortHash(pin)} pinned in the join string (its chain ends at ${end}): not sending the token (check --hub and --token)`,
  );
}
