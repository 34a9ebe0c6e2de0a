// A write's body made into an object of the resource: an object of its kind (apiVersion and
// kind may be left out), with the name the URL gives and in the namespace the URL gives, as
// kube-apiserver's decoder and checkName have it. Every failure is a 400 naming what is wrong.
import { badRequest, type FieldError, invalid } from '../../../api/errors.js';
import { groupVersion, type ResourceInfo } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { isJsonObject } from '../patch/merge-patch.js';
import { checkBodyType, type ExpectedType, shown } from './object-identity.js';

export function expectedType(info: ResourceInfo): ExpectedType {
  return { apiVersion: groupVersion(info), kind: info.kind };
}

/** A copy of `body`, which must be an object of the resource's kind, with its apiVersion and kind set. */
export function objectFromBody(body: unknown, info: ResourceInfo): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`the body of the request must be a ${info.kind} object`);
  }
  const obj = structuredClone(body) as KubeObject;
  const expected = expectedType(info);
  checkBodyType(obj, expected);
  if (obj.metadata === undefined) obj.metadata = {};
  if (!isJsonObject(obj.metadata)) throw badRequest('metadata: must be an object');
  obj.apiVersion = expected.apiVersion;
  obj.kind = expected.kind;
  return obj;
}

/** Gives `obj` the URL's name; a different name in the body is a 400. */
export function nameFromUrl(obj: KubeObject, name: string): void {
  if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${shown(obj.metadata.name)}) does not match the name on the URL (${name})`,
    );
  }
  obj.metadata.name = name;
}

/** Puts `obj` in the URL's namespace (none for a cluster-scoped resource). */
export function placeInNamespace(obj: KubeObject, info: ResourceInfo, namespace: string | undefined): void {
  if (!info.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (!namespace) throw badRequest(`${info.resource} is namespaced: the request must name a namespace`);
  if (
    obj.metadata.namespace !== undefined &&
    obj.metadata.namespace !== '' &&
    obj.metadata.namespace !== namespace
  ) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = namespace;
}

/** A 422 Invalid with every field error, when there are any. */
export function failOnErrors(info: ResourceInfo, obj: KubeObject, errors: FieldError[]): void {
  if (errors.length === 0) return;
  throw invalid(info.kind, info.group, obj.metadata.name ?? obj.metadata.generateName ?? '', errors);
}
