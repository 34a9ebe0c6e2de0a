// The join string a gateway is given: `<token>::sha256:<hex>`, the join token and a pin of the
// hub's CA, so the agent's first TLS connection is not a leap of faith. The pin is what kubeadm
// pins with `--discovery-token-ca-cert-hash`: SHA-256 of the CA certificate's DER
// SubjectPublicKeyInfo, lower-case hex (kubeadm's pubkeypin.Hash; by hand:
// `openssl x509 -in ca.crt -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum`).
// The token part is opaque here: whatever the hub issues, without `::`.
import { createHash, X509Certificate } from 'node:crypto';

export const caCertHashPrefix = 'sha256:';
const caCertHashPattern = /^sha256:[0-9a-f]{64}$/;
const separator = '::';

export interface JoinString {
  token: string;
  /** `sha256:<64 hex>`; undefined for a bare token. */
  caCertHash?: string;
}

export type ParsedJoinString = { ok: true; value: JoinString } | { ok: false; error: string };

export function formatJoinString(token: string, caCertHash: string): string {
  return `${token}${separator}${caCertHash}`;
}

/** `<token>::sha256:<hex>`, or a bare token (no `::`), which carries no pin. */
export function parseJoinString(text: string): ParsedJoinString {
  const at = text.indexOf(separator);
  if (at < 0) return text === '' ? { ok: false, error: 'empty' } : { ok: true, value: { token: text } };
  const token = text.slice(0, at);
  const hash = text.slice(at + separator.length).toLowerCase();
  if (token === '') return { ok: false, error: 'the token before "::" is empty' };
  if (!caCertHashPattern.test(hash))
    return {
      ok: false,
      error: `the CA hash after "::" must be sha256: and 64 hex digits, got ${JSON.stringify(hash.slice(0, 80))}`,
    };
  return { ok: true, value: { token, caCertHash: hash } };
}

/** The pin of a certificate (PEM or DER): `sha256:` + hex SHA-256 of its SubjectPublicKeyInfo. */
export function caCertHash(cert: string | Buffer | X509Certificate): string {
  const x509 = cert instanceof X509Certificate ? cert : new X509Certificate(cert);
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return `${caCertHashPrefix}${createHash('sha256').update(spki).digest('hex')}`;
}

/** A pin shortened for log lines: enough to tell two CAs apart by eye. */
export function shortHash(hash: string): string {
  return `${hash.slice(0, caCertHashPrefix.length + 16)}…`;
}
