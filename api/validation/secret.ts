// Secret rules (ValidateSecret / ValidateSecretUpdate): keys, base64 values, size, the
// keys each well-known type requires, and an immutable type.

import { type FieldError, invalidValue, required } from '../errors.js';
import type { KubeObject } from '../types.js';
import { validateImmutableData } from './config-map.js';
import { maxDataBytes, validateDataMap } from './data-map.js';
import { immutable, tooLong } from './field-errors.js';
import { isRecord, readBoolean, readString } from './field-readers.js';

// Keys a typed Secret must carry (kube's SecretType* constants).
const requiredKeys: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

export function validateSecret(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = validateDataMap(errs, obj.data, 'data', true);
  if (data.bytes > maxDataBytes) errs.push(tooLong('data', maxDataBytes));
  const type = readString(errs, obj.type, 'type') ?? 'Opaque';
  for (const key of requiredKeys[type] ?? []) {
    if (!data.keys.has(key)) errs.push(required(`data[${key}]`));
  }
  // Username or password may be empty, but a basic-auth secret needs at least one of them.
  if (type === 'kubernetes.io/basic-auth' && !data.keys.has('username') && !data.keys.has('password')) {
    errs.push(required('data[username]'), required('data[password]'));
  }
  if (type === 'kubernetes.io/service-account-token') {
    const annotations = isRecord(obj.metadata.annotations) ? obj.metadata.annotations : {};
    if (!annotations['kubernetes.io/service-account.name']) {
      errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
    }
  }
  if (type === 'kubernetes.io/dockerconfigjson' && data.keys.has('.dockerconfigjson')) {
    errs.push(...validateDockerConfig(obj));
  }
  readBoolean(errs, obj.immutable, 'immutable');
  if (old) {
    const oldType = typeof old.type === 'string' ? old.type : 'Opaque';
    if (type !== oldType) errs.push(immutable('type', type));
    errs.push(...validateImmutableData(obj, old, ['data']));
  }
  return errs;
}

function validateDockerConfig(obj: KubeObject): FieldError[] {
  const data = isRecord(obj.data) ? obj.data : {};
  const encoded = data['.dockerconfigjson'];
  if (typeof encoded !== 'string') return [];
  try {
    JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    return [];
  } catch (err) {
    const detail = err instanceof Error ? err.message : 'invalid JSON';
    return [invalidValue('data[.dockerconfigjson]', '<secret contents redacted>', detail)];
  }
}
