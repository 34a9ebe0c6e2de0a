// The reviews clients ask the API about identity and permissions, answered from the request and
// never stored (kube's registry/authorization and registry/authentication):
//   SelfSubjectReview        who am I                       (kubectl auth whoami)
//   SelfSubjectAccessReview  may I do this                  (kubectl auth can-i VERB RESOURCE)
//   SelfSubjectRulesReview   what may I do in a namespace   (kubectl auth can-i --list)
//   SubjectAccessReview      may this user do this
//   LocalSubjectAccessReview may this user do this in this namespace
import { badRequest, type FieldError, invalid, invalidValue } from '../../../api/errors.js';
import { authorize, rulesFor } from '../../../api/rbac/authorize.js';
import type { Attributes, RbacView, UserInfo } from '../../../api/rbac/rbac-types.js';
import { groupVersion } from '../../../api/resources.js';
import {
  isRecord,
  type JsonRecord,
  readRecord,
  readString,
  readStrings,
} from '../../../api/validation/field-readers.js';
import type { RequestContext } from '../handlers/request-context.js';
import { parseBody, readBody } from '../http/read-body.js';
import { sendJson } from '../http/respond.js';

export async function serveReview(ctx: RequestContext, rbac: RbacView): Promise<void> {
  const user = ctx.user;
  if (!user) throw badRequest('no user to review');
  const info = ctx.resource.info;
  const body = parseBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  if (!isRecord(body)) throw badRequest(`the body of a ${info.kind} must be an object`);
  const spec = isRecord(body.spec) ? body.spec : {};
  let status: JsonRecord;
  switch (info.kind) {
    case 'SelfSubjectReview':
      status = { userInfo: userInfoOf(user) };
      break;
    case 'SelfSubjectAccessReview':
      status = accessStatus(user, attributesOf(info.kind, spec), rbac);
      break;
    case 'SubjectAccessReview':
      status = accessStatus(reviewedUser(spec), attributesOf(info.kind, spec), rbac);
      break;
    case 'LocalSubjectAccessReview':
      status = accessStatus(reviewedUser(spec), localAttributes(spec, ctx.request.namespace ?? ''), rbac);
      break;
    case 'SelfSubjectRulesReview':
      status = rulesStatus(user, readString([], spec.namespace, 'spec.namespace') ?? '', rbac);
      break;
    default:
      throw badRequest(`${info.kind} is not a review`);
  }
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  sendJson(ctx.res, 201, {
    kind: info.kind,
    apiVersion: groupVersion(info),
    metadata,
    spec: body.spec,
    status,
  });
}

function userInfoOf(user: UserInfo): JsonRecord {
  return {
    username: user.name,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: [...user.groups],
    ...(user.extra ? { extra: user.extra } : {}),
  };
}

/** Exactly one of resourceAttributes and nonResourceAttributes (ValidateSelfSubjectAccessReviewSpec). */
function attributesOf(kind: string, spec: JsonRecord): Attributes {
  const errs: FieldError[] = [];
  const resource = readRecord(errs, spec.resourceAttributes, 'spec.resourceAttributes');
  const nonResource = readRecord(errs, spec.nonResourceAttributes, 'spec.nonResourceAttributes');
  if ((resource === undefined) === (nonResource === undefined)) {
    errs.push(
      invalidValue(
        'spec.resourceAttributes',
        spec.resourceAttributes ?? null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    );
  }
  const text = (record: JsonRecord, key: string, path: string) =>
    readString(errs, record[key], `${path}.${key}`) ?? '';
  let attributes: Attributes;
  if (resource) {
    const path = 'spec.resourceAttributes';
    const namespace = text(resource, 'namespace', path);
    const name = text(resource, 'name', path);
    const subresource = text(resource, 'subresource', path);
    attributes = {
      verb: text(resource, 'verb', path),
      apiGroup: text(resource, 'group', path),
      resource: text(resource, 'resource', path),
      ...(subresource ? { subresource } : {}),
      ...(name ? { name } : {}),
      ...(namespace ? { namespace } : {}),
    };
  } else {
    const path = 'spec.nonResourceAttributes';
    attributes = { verb: text(nonResource ?? {}, 'verb', path), path: text(nonResource ?? {}, 'path', path) };
  }
  if (errs.length > 0) throw invalid(kind, 'authorization.k8s.io', '', errs);
  return attributes;
}

/**
 * A LocalSubjectAccessReview asks about resources of its own namespace only
 * (ValidateLocalSubjectAccessReview and its REST storage): an empty namespace is that namespace.
 */
function localAttributes(spec: JsonRecord, namespace: string): Attributes {
  const attributes = attributesOf('LocalSubjectAccessReview', spec);
  if (!('resource' in attributes)) {
    throw invalid('LocalSubjectAccessReview', 'authorization.k8s.io', '', [
      invalidValue(
        'spec.nonResourceAttributes',
        spec.nonResourceAttributes,
        'disallowed on this kind of request',
      ),
    ]);
  }
  if (attributes.namespace !== undefined && attributes.namespace !== namespace) {
    throw badRequest(
      `spec.resourceAttributes.namespace must match namespace: ${attributes.namespace} != ${namespace}`,
    );
  }
  return { ...attributes, namespace };
}

/** The user a SubjectAccessReview asks about (ValidateSubjectAccessReviewSpec). */
function reviewedUser(spec: JsonRecord): UserInfo {
  const errs: FieldError[] = [];
  const name = readString(errs, spec.user, 'spec.user') ?? '';
  const groups = readStrings(errs, spec.groups, 'spec.groups');
  if (name === '' && groups.length === 0) {
    errs.push(invalidValue('spec.user', name, 'at least one of user or group must be specified'));
  }
  if (errs.length > 0) throw invalid('SubjectAccessReview', 'authorization.k8s.io', '', errs);
  return { name, groups, uid: readString([], spec.uid, 'spec.uid') };
}

function accessStatus(user: UserInfo, attributes: Attributes, rbac: RbacView): JsonRecord {
  const decision = authorize(user, attributes, rbac);
  if (decision.allowed) return { allowed: true };
  return { allowed: false, ...(decision.reason ? { reason: decision.reason } : {}) };
}

/** Every rule that applies in `namespace`, split as the review reports them. */
function rulesStatus(user: UserInfo, namespace: string, rbac: RbacView): JsonRecord {
  if (namespace === '') {
    throw badRequest('no namespace on request');
  }
  const { rules, errors } = rulesFor(user, namespace, rbac);
  const resourceRules = rules
    .filter((r) => (r.resources ?? []).length > 0)
    .map((r) => ({
      verbs: [...r.verbs],
      apiGroups: [...(r.apiGroups ?? [])],
      resources: [...(r.resources ?? [])],
      ...(r.resourceNames?.length ? { resourceNames: [...r.resourceNames] } : {}),
    }));
  const nonResourceRules = rules
    .filter((r) => (r.nonResourceURLs ?? []).length > 0)
    .map((r) => ({ verbs: [...r.verbs], nonResourceURLs: [...(r.nonResourceURLs ?? [])] }));
  return {
    resourceRules,
    nonResourceRules,
    incomplete: errors.length > 0,
    ...(errors.length > 0 ? { evaluationError: errors.join(', ') } : {}),
  };
}
