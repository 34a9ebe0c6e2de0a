// metav1.DeleteOptions from the request body and/or query string.
import { badRequest } from '../../../api/errors.js';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  gracePeriodSeconds?: number | undefined;
  propagationPolicy?: PropagationPolicy | undefined;
  preconditions?: { uid?: string | undefined; resourceVersion?: string | undefined } | undefined;
  dryRun: boolean;
}

const policies: readonly string[] = ['Background', 'Foreground', 'Orphan'];

export function deleteOptionsFrom(body: unknown, query: URLSearchParams): DeleteOptions {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b))
    throw badRequest('DeleteOptions: the body must be an object');
  const grace = b.gracePeriodSeconds ?? numberParam(query, 'gracePeriodSeconds');
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0)) {
    throw badRequest(
      `DeleteOptions.gracePeriodSeconds: must be a non-negative integer, got ${JSON.stringify(grace)}`,
    );
  }
  let policy = b.propagationPolicy ?? query.get('propagationPolicy') ?? undefined;
  if (policy === undefined && typeof b.orphanDependents === 'boolean')
    policy = b.orphanDependents ? 'Orphan' : 'Background';
  if (query.get('orphanDependents') === 'true' && policy === undefined) policy = 'Orphan';
  if (policy !== undefined && (typeof policy !== 'string' || !policies.includes(policy))) {
    throw badRequest(
      `DeleteOptions.propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Background", "Foreground", "Orphan"`,
    );
  }
  const pre = b.preconditions as DeleteOptions['preconditions'] | undefined;
  if (pre !== undefined && (typeof pre !== 'object' || pre === null))
    throw badRequest('DeleteOptions.preconditions: must be an object');
  for (const field of ['uid', 'resourceVersion'] as const) {
    const value = pre?.[field];
    // Go decodes these into *string: anything else is a decode error (400), never a later 500.
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw badRequest(
        `DeleteOptions.preconditions.${field}: must be a string, got ${JSON.stringify(value)}`,
      );
    }
  }
  const dryRun = isDryRun(b.dryRun) || isDryRun(query.getAll('dryRun'));
  return {
    gracePeriodSeconds: grace as number | undefined,
    propagationPolicy: policy as PropagationPolicy | undefined,
    preconditions: pre,
    dryRun,
  };
}

function numberParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw badRequest(`${name}: must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** dryRun=All is the only value Kubernetes defines. */
export function isDryRun(value: unknown): boolean {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  for (const v of values) {
    if (v !== 'All')
      throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(v)}: supported values: "All"`);
  }
  return values.length > 0;
}
