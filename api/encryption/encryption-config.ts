// The encryption-at-rest configuration, in the shape of kube-apiserver's EncryptionConfiguration
// (apiserver.config.k8s.io/v1): per list of resources, an ordered list of providers — the first
// one writes, all of them read. Flotilla supports the `aesgcm` and `identity` providers and
// exact resource names (`secrets`, `deployments.apps`); pure parsing, the callers read the file.
// A file in JSON (which is YAML too) is read without the YAML parser, and the parser is loaded
// only for a file that needs it: the agent writes its configuration as JSON, so a gateway does
// not keep the yaml package in memory for one read at start (1 MiB of heap, measured).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { AesGcmTransformer, type EncryptionKey } from './aes-gcm-transformer.js';

export const encryptionConfigKind = 'EncryptionConfiguration';
export const encryptionConfigApiVersion = 'apiserver.config.k8s.io/v1';

export class EncryptionConfigError extends Error {
  override name = 'EncryptionConfigError';
}

/** Transformers by storage resource name (`secrets`, `apps/deployments`). */
export type EncryptionConfig = Map<string, AesGcmTransformer>;

/** The yaml package, loaded on first use (synchronously: the callers are at start-up). */
const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml');

/**
 * A new configuration encrypting Secrets with one fresh AES-256 key; identity reads old plaintext.
 * `json`: written as JSON (the agent's), which parseEncryptionConfig reads without loading yaml.
 */
export function newEncryptionConfigText(keyName = 'key1', format: 'yaml' | 'json' = 'yaml'): string {
  const config = {
    kind: encryptionConfigKind,
    apiVersion: encryptionConfigApiVersion,
    resources: [
      {
        resources: ['secrets'],
        providers: [
          { aesgcm: { keys: [{ name: keyName, secret: randomBytes(32).toString('base64') }] } },
          { identity: {} },
        ],
      },
    ],
  };
  return format === 'json' ? `${JSON.stringify(config, null, 2)}\n` : yaml().stringify(config);
}

export function parseEncryptionConfig(text: string): EncryptionConfig {
  const doc = record(parseYaml(text), '');
  if (doc.kind !== encryptionConfigKind) fail('kind', `must be ${encryptionConfigKind}`);
  if (doc.apiVersion !== encryptionConfigApiVersion)
    fail('apiVersion', `must be ${encryptionConfigApiVersion}`);
  const config: EncryptionConfig = new Map();
  list(doc.resources, 'resources').forEach((entry, i) => {
    const at = `resources[${i}]`;
    const item = record(entry, at);
    const transformer = providersOf(list(item.providers, `${at}.providers`), `${at}.providers`);
    list(item.resources, `${at}.resources`).forEach((name, j) => {
      const resource = storageName(name, `${at}.resources[${j}]`);
      // Earlier entries take precedence, as in Kubernetes.
      if (!config.has(resource)) config.set(resource, transformer);
    });
  });
  return config;
}

function providersOf(providers: unknown[], at: string): AesGcmTransformer {
  const keys: EncryptionKey[] = [];
  let readPlain = false;
  providers.forEach((entry, i) => {
    const provider = record(entry, `${at}[${i}]`);
    const names = Object.keys(provider);
    if (names.length !== 1) fail(`${at}[${i}]`, 'must name exactly one provider');
    if (names[0] === 'identity') {
      readPlain = true;
      return;
    }
    if (names[0] !== 'aesgcm')
      fail(`${at}[${i}]`, `provider ${names[0]} is not supported (aesgcm, identity)`);
    const aesgcm = record(provider.aesgcm, `${at}[${i}].aesgcm`);
    list(aesgcm.keys, `${at}[${i}].aesgcm.keys`).forEach((key, k) => {
      keys.push(keyOf(key, `${at}[${i}].aesgcm.keys[${k}]`));
    });
  });
  if (new Set(keys.map((k) => k.name)).size !== keys.length) fail(at, 'key names must be unique');
  const writePlain = providers.length > 0 && 'identity' in record(providers[0], `${at}[0]`);
  if (keys.length === 0 && !writePlain) fail(at, 'must list an aesgcm key or identity');
  return new AesGcmTransformer(keys, { readPlain, writePlain });
}

function keyOf(value: unknown, at: string): EncryptionKey {
  const key = record(value, at);
  if (typeof key.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(key.name))
    fail(`${at}.name`, 'must be 1-64 letters, digits, "-", "_" or "."');
  const secret = typeof key.secret === 'string' ? Buffer.from(key.secret, 'base64') : Buffer.alloc(0);
  if (![16, 24, 32].includes(secret.length))
    fail(`${at}.secret`, 'must be 16, 24 or 32 bytes, base64-encoded');
  return { name: key.name as string, secret };
}

/** `secrets` → `secrets`; `deployments.apps` → `apps/deployments` (the store's resource names). */
function storageName(value: unknown, at: string): string {
  if (typeof value !== 'string' || value === '') return fail(at, 'must be a resource name');
  if (value.includes('*')) fail(at, 'wildcards are not supported; name each resource');
  const dot = value.indexOf('.');
  return dot === -1 ? value : `${value.slice(dot + 1)}/${value.slice(0, dot)}`;
}

function parseYaml(text: string): unknown {
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON after all (a YAML flow mapping): the YAML parser reads it, or says what is wrong.
    }
  }
  try {
    return yaml().parse(text);
  } catch (err) {
    throw new EncryptionConfigError(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

function record(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(at || 'the document', 'must be a map');
  return value as Record<string, unknown>;
}

function list(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) fail(at, 'must be a non-empty list');
  return value as unknown[];
}

function fail(at: string, message: string): never {
  throw new EncryptionConfigError(`${at} ${message}`);
}
