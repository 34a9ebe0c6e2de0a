// serviceaccounts/NAME/token (authentication.k8s.io/v1 TokenRequest, kube's TokenREST): a
// signed token for the ServiceAccount, bound to a Pod or Secret of its namespace when
// spec.boundObjectRef names one. `kubectl create token` and the agents (for projected volumes,
// over MQTT: hub/edge-sync/token-requests.ts) both come here through bindTokenRequest.
import {
  badRequest,
  conflict,
  type FieldError,
  invalid,
  invalidValue,
  notSupported,
  required,
} from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import {
  isRecord,
  type JsonRecord,
  readInteger,
  readRecord,
  readString,
  readStrings,
} from '../../../api/validation/field-readers.js';
import {
  defaultExpirationSeconds,
  type IssuedToken,
  type IssueRequest,
  minExpirationSeconds,
  type TokenIssuer,
} from '../../serviceaccount/token-issuer.js';
import { parseBody, readBody } from '../http/read-body.js';
import { sendJson } from '../http/respond.js';
import type { Registry } from '../registry/registry.js';
import type { RequestContext } from './request-context.js';

const maxExpirationSeconds = 2 ** 32;

export interface TokenSpec {
  audiences: string[];
  expirationSeconds: number;
  boundObjectRef?: { kind: 'Pod' | 'Secret'; apiVersion: string; name: string; uid?: string | undefined };
}

/** A TokenRequest's spec, checked as ValidateTokenRequest does. */
export function readTokenSpec(body: unknown, name: string): TokenSpec {
  const errs: FieldError[] = [];
  const spec = isRecord(body) ? (readRecord(errs, body.spec, 'spec') ?? {}) : {};
  const audiences = readStrings(errs, spec.audiences, 'spec.audiences');
  const expirationSeconds =
    readInteger(errs, spec.expirationSeconds, 'spec.expirationSeconds') ?? defaultExpirationSeconds;
  if (expirationSeconds < minExpirationSeconds) {
    errs.push(
      invalidValue(
        'spec.expirationSeconds',
        expirationSeconds,
        'may not specify a duration less than 10 minutes',
      ),
    );
  } else if (expirationSeconds > maxExpirationSeconds) {
    errs.push(
      invalidValue(
        'spec.expirationSeconds',
        expirationSeconds,
        'may not specify a duration larger than 2^32 seconds',
      ),
    );
  }
  const result: TokenSpec = { audiences, expirationSeconds };
  const ref = readRecord(errs, spec.boundObjectRef, 'spec.boundObjectRef');
  if (ref) result.boundObjectRef = readBoundRef(errs, ref);
  if (errs.length > 0) throw invalid('TokenRequest', 'authentication.k8s.io', name, errs);
  return result;
}

function readBoundRef(errs: FieldError[], ref: JsonRecord): TokenSpec['boundObjectRef'] {
  const path = 'spec.boundObjectRef';
  const kind = readString(errs, ref.kind, `${path}.kind`) ?? '';
  const apiVersion = readString(errs, ref.apiVersion, `${path}.apiVersion`) ?? 'v1';
  const name = readString(errs, ref.name, `${path}.name`) ?? '';
  const uid = readString(errs, ref.uid, `${path}.uid`);
  if (kind !== 'Pod' && kind !== 'Secret') errs.push(notSupported(`${path}.kind`, kind, ['Pod', 'Secret']));
  if (apiVersion !== 'v1') errs.push(notSupported(`${path}.apiVersion`, apiVersion, ['v1']));
  if (name === '') errs.push(required(`${path}.name`));
  return { kind: kind as 'Pod' | 'Secret', apiVersion, name, ...(uid ? { uid } : {}) };
}

/** The issue request for `spec`: the ServiceAccount and bound object as stored now. */
export async function bindTokenRequest(
  registry: Registry,
  namespace: string,
  serviceAccountName: string,
  spec: TokenSpec,
): Promise<IssueRequest> {
  const sa = await registry
    .for({ group: '', resource: 'serviceaccounts' })
    .get(namespace, serviceAccountName);
  const request: IssueRequest = {
    namespace,
    serviceAccount: refOf(sa),
    audiences: spec.audiences,
    expirationSeconds: spec.expirationSeconds,
  };
  const bound = spec.boundObjectRef;
  if (!bound) return request;
  const resource = bound.kind === 'Pod' ? 'pods' : 'secrets';
  const obj = await registry.for({ group: '', resource }).get(namespace, bound.name);
  if (bound.uid && obj.metadata.uid !== bound.uid) {
    throw conflict(
      { group: '', resource: bound.kind },
      bound.name,
      `the UID in the bound object reference (${bound.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  if (obj.metadata.deletionTimestamp) {
    throw badRequest(`cannot bind token to ${bound.kind} ${namespace}/${bound.name}: it is being deleted`);
  }
  if (bound.kind === 'Secret') return { ...request, secret: refOf(obj) };
  const podSa = (obj.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName;
  if (podSa !== serviceAccountName) {
    throw badRequest(
      `cannot bind token for serviceaccount "${serviceAccountName}" to pod running with different serviceaccount name.`,
    );
  }
  request.pod = refOf(obj);
  const nodeName = (obj.spec as { nodeName?: string } | undefined)?.nodeName;
  if (nodeName) {
    const node = await registry.store.get('nodes', { name: nodeName });
    if (node) request.node = refOf(node);
  }
  return request;
}

function refOf(obj: KubeObject): { name: string; uid: string } {
  return { name: obj.metadata.name ?? '', uid: obj.metadata.uid ?? '' };
}

/** The TokenRequest kube-apiserver answers with: the spec as applied, the token in status. */
export function tokenRequestReply(
  namespace: string,
  name: string,
  spec: TokenSpec,
  issued: IssuedToken,
): JsonRecord {
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: null },
    spec: {
      audiences: issued.claims.aud,
      expirationSeconds: spec.expirationSeconds,
      boundObjectRef: spec.boundObjectRef ?? null,
    },
    status: {
      token: issued.token,
      expirationTimestamp: issued.expirationTimestamp.toISOString().replace(/\.\d+Z$/, 'Z'),
    },
  };
}

export async function serveTokenRequest(ctx: RequestContext, issuer: TokenIssuer | undefined): Promise<void> {
  if (!issuer) throw badRequest('this server issues no service account tokens');
  const namespace = ctx.request.namespace!;
  const name = ctx.request.name!;
  const spec = readTokenSpec(parseBody(await readBody(ctx.req), ctx.req.headers['content-type']), name);
  const issued = issuer.issue(await bindTokenRequest(ctx.registry, namespace, name, spec));
  sendJson(ctx.res, 201, tokenRequestReply(namespace, name, spec, issued));
}
