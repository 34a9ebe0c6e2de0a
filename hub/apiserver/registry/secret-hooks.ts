// Secrets: `stringData` is a write-only convenience; its entries are stored base64-encoded in
// `data`, where they win over the same key (Kubernetes Secret API semantics).
import type { KubeObject } from '../../../api/types.js';
import type { KindHooks } from './kind-hooks.js';

export const secretHooks: KindHooks = {
  normalize(secret: KubeObject) {
    const stringData = secret.stringData;
    if (stringData === undefined) return;
    delete secret.stringData;
    if (typeof stringData !== 'object' || stringData === null || Array.isArray(stringData)) return;
    const data = { ...((secret.data as Record<string, string> | undefined) ?? {}) };
    for (const [key, value] of Object.entries(stringData)) {
      data[key] = Buffer.from(String(value), 'utf8').toString('base64');
    }
    secret.data = data;
  },
};
