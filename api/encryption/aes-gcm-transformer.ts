// Values encrypted at rest the way kube-apiserver's aesgcm provider stores them: a prefix naming
// the provider and the key (`k8s:enc:aesgcm:v1:<key name>:`) followed by nonce, ciphertext and
// GCM tag. Kubernetes stores those bytes raw in etcd; our datafiles are text lines, so they are
// base64 here. The first key encrypts, every key decrypts (rotation); a value without the
// `k8s:enc:` prefix is plaintext from before encryption, readable when `identity` is allowed.
// Pure: no I/O, so hub and agent share it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const aesGcmPrefix = 'k8s:enc:aesgcm:v1:';
const encryptedMarker = 'k8s:enc:';
const nonceBytes = 12;
const tagBytes = 16;

export interface EncryptionKey {
  name: string;
  /** 16, 24 or 32 bytes (AES-128/192/256), as Kubernetes' aesgcm provider accepts. */
  secret: Buffer;
}

export class DecryptError extends Error {
  override name = 'DecryptError';
}

export interface FromStorage {
  plain: string;
  /** Not written with the current write key (plaintext or an older key): rewrite it. */
  stale: boolean;
}

export class AesGcmTransformer {
  private readonly byName: Map<string, EncryptionKey>;

  /**
   * `keys[0]` encrypts unless `writePlain` (identity listed first, as for decrypting a cluster
   * back); `readPlain` lets values without a prefix through (identity listed at all).
   */
  constructor(
    readonly keys: readonly EncryptionKey[],
    private readonly options: { readPlain: boolean; writePlain?: boolean } = { readPlain: true },
  ) {
    if (keys.length === 0 && !options.writePlain)
      throw new Error('an aesgcm provider needs at least one key');
    this.byName = new Map(keys.map((key) => [key.name, key]));
  }

  /** `context` is authenticated with the value (the object's key), so a value cannot be moved. */
  toStorage(plain: string, context: string): string {
    const key = this.keys[0];
    if (this.options.writePlain || !key) return plain;
    const nonce = randomBytes(nonceBytes);
    const cipher = createCipheriv(algorithm(key), key.secret, nonce);
    cipher.setAAD(Buffer.from(context));
    const sealed = Buffer.concat([nonce, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${aesGcmPrefix}${key.name}:${sealed.toString('base64')}`;
  }

  fromStorage(stored: string, context: string): FromStorage {
    if (!stored.startsWith(encryptedMarker)) {
      if (!this.options.readPlain)
        throw new DecryptError('value is not encrypted and identity is not listed');
      return { plain: stored, stale: !this.options.writePlain };
    }
    if (!stored.startsWith(aesGcmPrefix)) throw new DecryptError(`unknown provider ${providerOf(stored)}`);
    const rest = stored.slice(aesGcmPrefix.length);
    const colon = rest.indexOf(':');
    const name = rest.slice(0, Math.max(colon, 0));
    const key = this.byName.get(name);
    if (colon < 0 || !key) throw new DecryptError(`encrypted with key "${name}", which is not configured`);
    const sealed = Buffer.from(rest.slice(colon + 1), 'base64');
    if (sealed.length < nonceBytes + tagBytes)
      throw new DecryptError(`value under key "${name}" is truncated`);
    try {
      const decipher = createDecipheriv(algorithm(key), key.secret, sealed.subarray(0, nonceBytes));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
      const body = sealed.subarray(nonceBytes, sealed.length - tagBytes);
      const plain = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      return { plain, stale: this.options.writePlain === true || key !== this.keys[0] };
    } catch {
      throw new DecryptError(`key "${name}" does not decrypt it (wrong key, or the value was altered)`);
    }
  }
}

function algorithm(key: EncryptionKey): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  return `aes-${key.secret.length * 8}-gcm` as 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm';
}

function providerOf(stored: string): string {
  return stored.split(':').slice(0, 4).join(':');
}
