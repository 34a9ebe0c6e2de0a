// Secrets in the agent's local state are encrypted at rest like the hub's store: with the key
// of `<data dir>/encryption-config.yaml` (an EncryptionConfiguration, 0600, created with one fresh
// AES-256-GCM key on first start, in JSON so that reading it needs no YAML parser; rotation as on
// the hub: a new first key writes, every listed key reads, and the next start rewrites the state
// with the first key). Only the desired state's
// Secrets are sealed; pods, ConfigMaps and Services stay readable for debugging.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AesGcmTransformer } from '../../api/encryption/aes-gcm-transformer.js';
import { newEncryptionConfigText, parseEncryptionConfig } from '../../api/encryption/encryption-config.js';
import type { AgentDesired } from '../../api/mqtt/payloads/desired-state.js';

export const stateEncryptionFile = 'encryption-config.yaml';

/** Objects travel as JSON text: nedb refuses field names with '.', and label keys have them. */
export interface DesiredDoc {
  _id: 'desired';
  revision: number;
  /** The desired state; without its Secrets once they are sealed. */
  json: string;
  /** The Secrets, as the transformer stored them; absent in files from before encryption. */
  secrets?: string;
}

const context = '/agent/desired/secrets';

export function loadStateEncryption(dataDir: string): AesGcmTransformer {
  const path = join(dataDir, stateEncryptionFile);
  if (!existsSync(path)) writeFileSync(path, newEncryptionConfigText('key1', 'json'), { mode: 0o600 });
  else if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  let transformer: AesGcmTransformer | undefined;
  try {
    transformer = parseEncryptionConfig(readFileSync(path, 'utf8')).get('secrets');
  } catch (err) {
    throw new Error(`cannot use ${path}: ${(err as Error).message}`);
  }
  if (!transformer) throw new Error(`cannot use ${path}: it does not list the resource secrets`);
  return transformer;
}

export function sealDesired(state: AgentDesired, transformer: AesGcmTransformer): DesiredDoc {
  const { secrets, ...rest } = state;
  return {
    _id: 'desired',
    revision: state.revision,
    json: JSON.stringify(rest),
    secrets: transformer.toStorage(JSON.stringify(secrets), context),
  };
}

/** The desired state, and whether it should be written again under the current key. */
export function openDesired(
  doc: DesiredDoc,
  transformer: AesGcmTransformer,
): { state: AgentDesired; stale: boolean } {
  const parsed = JSON.parse(doc.json) as AgentDesired;
  if (doc.secrets === undefined) return { state: parsed, stale: true }; // plaintext, from before
  const { plain, stale } = transformer.fromStorage(doc.secrets, context);
  return { state: { ...parsed, secrets: JSON.parse(plain) as AgentDesired['secrets'] }, stale };
}
