// The Kubernetes API from a pod on a gateway (`kubernetes.default.svc`): the agent's API relay
// carries each HTTP request of a pod to the hub (`apiRequest`), the hub runs it through its own
// API handler, authenticated by the bearer token the pod sent (never as the gateway), and
// streams the answer back (`apiReply`: the status and headers first, then the body in numbered
// chunks, `end: true` last; a watch goes on until the client leaves: `apiCancel`). The relay's
// TLS serving certificate is the hub CA's, asked for with `servingCertRequest` (the gateway's
// own public key; the hub picks the names) and answered on `servingCert`.
import type { FieldError } from '../../errors.js';
import { invalidValue } from '../../errors.js';
import { isRecord } from '../../validation/field-readers.js';
import {
  needCount,
  needEnum,
  needString,
  objectPayload,
  optCount,
  optEnum,
  optString,
  type Validator,
} from './checks.js';
import { requestIdPattern } from './requests.js';

export const relayMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RelayMethod = (typeof relayMethods)[number];

/** The largest request body a pod may send through the relay (kube-apiserver allows 3 MiB; a gateway's link less). */
export const relayBodyMaxBytes = 1024 * 1024;

/** Requests (other than watches) and watches a gateway may have running at the hub at once. */
export const relayGatewayLimits = { maxRequests: 32, maxWatches: 64 } as const;

/** Raw body bytes per `apiReply` chunk: base64 of it and the JSON around it fit the route's limit. */
export const relayChunkBytes = 32 * 1024;

/**
 * Request headers the relay passes on; everything else (Host, Connection, Accept-Encoding,
 * proxies' headers) is the relay's business. Impersonation headers go too: the hub authorizes
 * them for the token's user as it would on a direct request.
 */
export const relayedRequestHeaders = [
  'authorization',
  'accept',
  'content-type',
  'user-agent',
  'impersonate-user',
  'impersonate-group',
  'impersonate-uid',
] as const;

/** Answer headers the hub passes back to the pod. */
export const relayedReplyHeaders = [
  'content-type',
  'cache-control',
  'etag',
  'expires',
  'warning',
  'retry-after',
  'audit-id',
  'www-authenticate',
] as const;

export type RelayHeaders = Record<string, string | string[]>;

export interface ApiRequest {
  id: string;
  method: RelayMethod;
  /** Path and query as the pod sent them, starting with '/'. */
  path: string;
  headers: RelayHeaders;
  /** The body, as text (`utf8`, the default) or `base64`. */
  body?: string;
  encoding?: 'utf8' | 'base64';
}

/** One chunk of the hub's answer to request {id}. */
export interface ApiReply {
  id: string;
  seq: number;
  /** First chunk only: the HTTP status and answer headers. */
  status?: number;
  headers?: RelayHeaders;
  data?: string;
  encoding?: 'utf8' | 'base64';
  end?: boolean;
  /** The hub could not run the request at all (the pod gets a 502 naming it). */
  error?: string;
}

export interface ApiCancel {
  id: string;
}

export interface ServingCertRequest {
  /** The relay's public key (SPKI PEM, ECDSA P-256); the private key never leaves the gateway. */
  publicKeyPem: string;
}

export interface ServingCert {
  /** A serverAuth certificate for the key, naming kubernetes, kubernetes.default(.svc…) and the ClusterIP. */
  certPem?: string;
  /** The hub's CA (pods' ca.crt), so the relay can check the chain. */
  caPem?: string;
  /** The `kubernetes` Service's ClusterIP the certificate names. */
  clusterIP?: string;
  /** Or why none was issued (the public key was refused). */
  error?: string;
}

function checkId(errs: FieldError[], value: unknown): void {
  const id = needString(errs, value, 'id', 64);
  if (id && !requestIdPattern.test(id))
    errs.push(invalidValue('id', id, `must match ${requestIdPattern.source}`));
}

function checkHeaders(errs: FieldError[], value: unknown, path: string, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    errs.push(invalidValue(path, typeof value, 'must be an object'));
    return;
  }
  for (const [name, v] of Object.entries(value)) {
    if (!allowed.includes(name)) {
      errs.push(invalidValue(`${path}.${name}`, name, 'is not a relayed header'));
      continue;
    }
    const values = Array.isArray(v) ? v : [v];
    if (values.length > 32 || values.some((x) => typeof x !== 'string' || x.length > 8192)) {
      errs.push(
        invalidValue(
          `${path}.${name}`,
          '…',
          'must be a string or at most 32 strings of at most 8192 characters',
        ),
      );
    }
  }
}

export const validateApiRequest: Validator<ApiRequest> = objectPayload((errs, body) => {
  checkId(errs, body.id);
  needEnum(errs, body.method, 'method', relayMethods);
  const path = needString(errs, body.path, 'path', 8192);
  if (path !== undefined && !path.startsWith('/'))
    errs.push(invalidValue('path', path.slice(0, 32), "must start with '/'"));
  checkHeaders(errs, body.headers ?? {}, 'headers', relayedRequestHeaders);
  optString(errs, body.body, 'body', Math.ceil((relayBodyMaxBytes * 4) / 3) + 4);
  optEnum(errs, body.encoding, 'encoding', ['utf8', 'base64'] as const);
});

export const validateApiReply: Validator<ApiReply> = objectPayload((errs, body) => {
  checkId(errs, body.id);
  needCount(errs, body.seq, 'seq');
  const status = optCount(errs, body.status, 'status');
  if (status !== undefined && (status < 100 || status > 599))
    errs.push(invalidValue('status', status, 'must be an HTTP status'));
  checkHeaders(errs, body.headers, 'headers', relayedReplyHeaders);
  optString(errs, body.data, 'data', Math.ceil((relayChunkBytes * 4) / 3) + 4);
  optEnum(errs, body.encoding, 'encoding', ['utf8', 'base64'] as const);
  if (body.end !== undefined && typeof body.end !== 'boolean')
    errs.push(invalidValue('end', body.end, 'must be a boolean'));
  optString(errs, body.error, 'error', 1024);
});

export const validateApiCancel: Validator<ApiCancel> = objectPayload((errs, body) => checkId(errs, body.id));

export const validateServingCertRequest: Validator<ServingCertRequest> = objectPayload((errs, body) => {
  const pem = needString(errs, body.publicKeyPem, 'publicKeyPem', 1024);
  if (pem !== undefined && !pem.includes('-----BEGIN PUBLIC KEY-----'))
    errs.push(invalidValue('publicKeyPem', pem.slice(0, 32), 'must be a PEM SubjectPublicKeyInfo'));
});

export const validateServingCert: Validator<ServingCert> = objectPayload((errs, body) => {
  if (body.error !== undefined) {
    optString(errs, body.error, 'error', 1024);
    return;
  }
  needString(errs, body.certPem, 'certPem', 8192);
  needString(errs, body.caPem, 'caPem', 8192);
  needString(errs, body.clusterIP, 'clusterIP', 45);
});
