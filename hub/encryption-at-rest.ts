// The hub's encryption at rest: `<data dir>/encryption-config.yaml`, an EncryptionConfiguration
// as kube-apiserver's --encryption-provider-config takes it, created on first start with one
// fresh AES-256-GCM key for Secrets. It is read once at start; the store rewrites every value not
// under the first key when it opens, so a rotation completes with one restart (README).
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type EncryptionConfig,
  newEncryptionConfigText,
  parseEncryptionConfig,
} from '../api/encryption/encryption-config.js';
import { DataDirError, readIfExists, writeSecretFile } from './data-dir.js';

export const encryptionConfigFile = 'encryption-config.yaml';

export function loadEncryptionConfig(dataDir: string): EncryptionConfig {
  const path = join(dataDir, encryptionConfigFile);
  let text = readIfExists(path);
  if (text === undefined) {
    text = newEncryptionConfigText();
    writeSecretFile(path, text);
  } else if ((statSync(path).mode & 0o077) !== 0) {
    chmodSync(path, 0o600); // a key file others can read protects nothing
  }
  try {
    return parseEncryptionConfig(text);
  } catch (err) {
    throw new DataDirError(`cannot use ${path}: ${(err as Error).message}`);
  }
}
