// The OpenAPI paths of one resource: its collection, its items and the status/scale
// subresources, each operation tagged with x-kubernetes-action and
// x-kubernetes-group-version-kind as kube-apiserver does. kubectl finds a kind's
// operations through these tags, not through the URL.
import type { ResourceInfo } from '../../../api/resources.js';
import {
  nameParameter,
  namespaceParameter,
  type Parameter,
  queryParameters,
} from './operation-parameters.js';
import { apiSchemaName, metaName, ref, type Schema } from './schema-builders.js';

type Action = keyof typeof queryParameters;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Gvk = { group: string; version: string; kind: string };

export type PathItem = { parameters?: Parameter[] } & Partial<Record<Method, Schema>>;

const jsonBody = (schema: Schema) => ({ content: { 'application/json': { schema } }, required: true });
const jsonResponse = (description: string, schema: Schema) => ({
  description,
  content: { 'application/json': { schema } },
});

// kubectl apply checks the PATCH body types: strategic-merge-patch+json means it may
// compute the patch from this document's schemas; custom resources do not take it, so kubectl
// sends them a JSON merge patch.
const patchBody = (strategicMerge: boolean) => ({
  content: Object.fromEntries(
    [
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      ...(strategicMerge ? ['application/strategic-merge-patch+json'] : []),
    ].map((type) => [type, { schema: ref(metaName('Patch')) }]),
  ),
  required: true,
});

const verbOf: Record<Action, string> = {
  list: 'list',
  create: 'create',
  read: 'get',
  replace: 'update',
  patch: 'patch',
  delete: 'delete',
  deletecollection: 'deletecollection',
};

type ItemAction = 'read' | 'replace' | 'patch' | 'delete';
const itemMethods: Record<ItemAction, Method> = {
  read: 'get',
  replace: 'put',
  patch: 'patch',
  delete: 'delete',
};

const actionName: Record<Action, string> = {
  list: 'list',
  create: 'post',
  read: 'get',
  replace: 'put',
  patch: 'patch',
  delete: 'delete',
  deletecollection: 'deletecollection',
};

/** `CoreV1`, `AppsV1`, `CoordinationV1`: the group-version part of kube-apiserver operation ids. */
function groupVersionId(info: ResourceInfo): string {
  const group = info.group === '' ? 'core' : (info.group.split('.')[0] ?? info.group);
  return capitalize(group) + capitalize(info.version);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

interface OperationSpec {
  action: Action;
  gvk: Gvk;
  operationId: string;
  body?: Schema;
  response: Schema;
  strategicMerge: boolean;
}

function operation(spec: OperationSpec): Schema {
  const op: Schema = {
    tags: [spec.gvk.group === '' ? 'core_v1' : `${spec.gvk.group.split('.')[0]}_${spec.gvk.version}`],
    operationId: spec.operationId,
    parameters: [...queryParameters[spec.action]],
  };
  if (spec.action === 'patch') op.requestBody = patchBody(spec.strategicMerge);
  else if (spec.body) op.requestBody = jsonBody(spec.body);
  op.responses = {
    '200': jsonResponse('OK', spec.response),
    ...(spec.action === 'create' || spec.action === 'replace' || spec.action === 'patch'
      ? { '201': jsonResponse('Created', spec.response) }
      : {}),
    '401': { description: 'Unauthorized' },
  };
  op['x-kubernetes-action'] = actionName[spec.action];
  op['x-kubernetes-group-version-kind'] = spec.gvk;
  return op;
}

/** All paths of a resource, keyed by URL template; `strategicMerge`: whether PATCH takes it. */
export function resourcePaths(info: ResourceInfo, strategicMerge = true): Record<string, PathItem> {
  const root = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const collection = info.namespaced
    ? `${root}/namespaces/{namespace}/${info.resource}`
    : `${root}/${info.resource}`;
  const scope = info.namespaced ? 'Namespaced' : '';
  const gv = groupVersionId(info);
  const gvk: Gvk = { group: info.group, version: info.version, kind: info.kind };
  const kindRef = ref(apiSchemaName(info.group, info.version, info.kind));
  const listRef = ref(apiSchemaName(info.group, info.version, `${info.kind}List`));
  const statusRef = ref(metaName('Status'));
  const scopeParameters = info.namespaced ? [namespaceParameter] : [];
  const allowed = (action: Action) => info.verbs.includes(verbOf[action]);

  const item = (suffix: string, itemGvk: Gvk, schema: Schema, actions: ItemAction[]): PathItem => {
    const entry: PathItem = { parameters: [nameParameter, ...scopeParameters] };
    for (const action of actions.filter(allowed)) {
      entry[itemMethods[action]] = operation({
        action,
        gvk: itemGvk,
        operationId: `${action}${gv}${scope}${info.kind}${suffix}`,
        body:
          action === 'replace' ? schema : action === 'delete' ? ref(metaName('DeleteOptions')) : undefined,
        response: action === 'delete' ? statusRef : schema,
        strategicMerge,
      });
    }
    return entry;
  };

  const paths: Record<string, PathItem> = {};
  const collectionItem: PathItem = { parameters: scopeParameters };
  if (allowed('list'))
    collectionItem.get = operation({
      action: 'list',
      gvk,
      operationId: `list${gv}${scope}${info.kind}`,
      response: listRef,
      strategicMerge,
    });
  if (allowed('create')) {
    collectionItem.post = operation({
      action: 'create',
      gvk,
      operationId: `create${gv}${scope}${info.kind}`,
      body: kindRef,
      response: kindRef,
      strategicMerge,
    });
  }
  if (allowed('deletecollection')) {
    collectionItem.delete = operation({
      action: 'deletecollection',
      gvk,
      operationId: `delete${gv}Collection${scope}${info.kind}`,
      body: ref(metaName('DeleteOptions')),
      response: statusRef,
      strategicMerge,
    });
  }
  paths[collection] = collectionItem;
  // Create-only resources (the access reviews) have no item path.
  const itemActions: ItemAction[] = ['read', 'replace', 'patch', 'delete'];
  if (itemActions.some(allowed)) paths[`${collection}/{name}`] = item('', gvk, kindRef, itemActions);
  if (info.namespaced && allowed('list')) {
    paths[`${root}/${info.resource}`] = {
      get: operation({
        action: 'list',
        gvk,
        operationId: `list${gv}${info.kind}ForAllNamespaces`,
        response: listRef,
        strategicMerge,
      }),
    };
  }
  if (info.subresources.includes('status')) {
    paths[`${collection}/{name}/status`] = item('Status', gvk, kindRef, ['read', 'replace', 'patch']);
  }
  if (info.subresources.includes('ephemeralcontainers')) {
    paths[`${collection}/{name}/ephemeralcontainers`] = item('Ephemeralcontainers', gvk, kindRef, [
      'read',
      'replace',
      'patch',
    ]);
  }
  if (info.subresources.includes('scale')) {
    const scaleGvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    paths[`${collection}/{name}/scale`] = item('Scale', scaleGvk, ref('io.k8s.api.autoscaling.v1.Scale'), [
      'read',
      'replace',
      'patch',
    ]);
  }
  return paths;
}
