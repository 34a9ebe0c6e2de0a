// The key ServiceAccount tokens are signed with: an RSA key (RS256, as kube-apiserver's usual
// --service-account-signing-key-file) kept in DIR/pki/service-account.key and reused across
// restarts, so tokens already in pods stay valid. Its key id is what kube-apiserver derives from
// the public key (base64url of the SHA-256 of its DER form), so a JWKS reader sees the same kid.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readIfExists, writeSecretFile } from '../data-dir.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  /** The public key as a JSON Web Key (what /openid/v1/jwks serves). */
  jwk: Record<string, string>;
}

export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('the service account signing key must be RSA');
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(der).digest('base64url');
  const { n, e } = publicKey.export({ format: 'jwk' });
  return {
    privateKey,
    publicKey,
    kid,
    jwk: { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: n ?? '', e: e ?? '' },
  };
}

export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  const pkiDir = join(dataDir, 'pki');
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const path = join(pkiDir, 'service-account.key');
  let pem = readIfExists(path);
  if (!pem) {
    pem = generateSigningKeyPem();
    writeSecretFile(path, pem);
  }
  return signingKeyFromPem(pem);
}
