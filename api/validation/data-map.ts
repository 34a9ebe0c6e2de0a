// The key/value maps of ConfigMaps and Secrets: key syntax (IsConfigMapKey), base64 values
// where the wire form is base64, and the byte count toward the 1 MiB object limit.
import { type FieldError, invalidValue } from '../errors.js';
import { readStringMap } from './field-readers.js';
import { isConfigMapKey } from './name-formats.js';

/** kube's MaxSecretSize, which also bounds ConfigMaps. */
export const maxDataBytes = 1024 * 1024;

export interface DataMap {
  keys: Set<string>;
  bytes: number;
}

/**
 * Where standard base64 (with padding) stops being valid, as a Go-style message, or
 * undefined. Line breaks are skipped, like encoding/base64 does.
 */
export function base64Error(text: string): string | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  const padding = /=*$/.exec(compact)?.[0].length ?? 0;
  for (let i = 0; i < compact.length - padding; i++) {
    if (!/[A-Za-z0-9+/]/.test(compact.charAt(i))) return `illegal base64 data at input byte ${i}`;
  }
  if (padding > 2 || compact.length % 4 !== 0) {
    return `illegal base64 data at input byte ${Math.max(0, compact.length - padding - (padding > 2 ? 0 : 1))}`;
  }
  return undefined;
}

export function decodedLength(text: string): number {
  return Buffer.from(text, 'base64').length;
}

export function validateDataMap(errs: FieldError[], value: unknown, path: string, base64: boolean): DataMap {
  const data = readStringMap(errs, value, path) ?? {};
  let bytes = 0;
  for (const [key, text] of Object.entries(data)) {
    errs.push(...isConfigMapKey(key).map((m) => invalidValue(`${path}[${key}]`, key, m)));
    if (!base64) {
      bytes += Buffer.byteLength(text);
      continue;
    }
    const problem = base64Error(text);
    // The value is never echoed back: it may be a secret.
    if (problem) errs.push(invalidValue(`${path}[${key}]`, '<secret contents redacted>', problem));
    else bytes += decodedLength(text);
  }
  return { keys: new Set(Object.keys(data)), bytes };
}
