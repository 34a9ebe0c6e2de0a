// authorization.k8s.io/v1 access and rules reviews, authentication.k8s.io/v1 SelfSubjectReview,
// numbered as k8s.io/api's generated.proto where kubectl sends them as protobuf (the requests;
// the answers go out as JSON).
import {
  apiSchemaName,
  bool,
  kindSchema,
  listOf,
  mapOf,
  object,
  ref,
  type SchemaTable,
  str,
} from './schema-builders.js';

const authz = (kind: string) => apiSchemaName('authorization.k8s.io', 'v1', kind);
const authn = (kind: string) => apiSchemaName('authentication.k8s.io', 'v1', kind);
const authnBeta = (kind: string) => apiSchemaName('authentication.k8s.io', 'v1beta1', kind);
const gvk = (kind: string) => ({ group: 'authorization.k8s.io', version: 'v1', kind });
const strings = (description: string) => listOf(str(), description);

const attributes = {
  resourceAttributes: ref(authz('ResourceAttributes'), 'The request to a resource being asked about.'),
  nonResourceAttributes: ref(
    authz('NonResourceAttributes'),
    'The request to a non-resource path being asked about.',
  ),
};
const accessStatus = ref(authz('SubjectAccessReviewStatus'), 'Status is filled in by the server.');

export const authReviewSchemas: SchemaTable = {
  [authz('ResourceAttributes')]: object(
    {
      group: str('The API group of the resource; "*" means all.'),
      name: str('The name of the object; empty means all.'),
      namespace: str('The namespace of the request; empty means all namespaces for a namespaced resource.'),
      resource: str('The resource; "*" means all.'),
      subresource: str('The subresource; empty means none.'),
      verb: str('A Kubernetes API verb: get, list, watch, create, update, patch, delete, or "*".'),
      version: str('The API version of the resource; "*" means all.'),
    },
    {
      description: 'ResourceAttributes are the authorization attributes of a request to a resource.',
      protobuf: { namespace: 1, verb: 2, group: 3, version: 4, resource: 5, subresource: 6, name: 7 },
    },
  ),
  [authz('NonResourceAttributes')]: object(
    { path: str('The URL path of the request.'), verb: str('The standard HTTP verb.') },
    {
      description:
        'NonResourceAttributes are the authorization attributes of a request to a non-resource path.',
      protobuf: { path: 1, verb: 2 },
    },
  ),
  [authz('SubjectAccessReviewStatus')]: object(
    {
      allowed: bool('Allowed is true when the action is allowed.'),
      denied: bool('Denied is true when the action is refused outright.'),
      evaluationError: str('An error met while checking, if any; the answer may still be right.'),
      reason: str('Why the action is allowed or not.'),
    },
    {
      required: ['allowed'],
      description: 'SubjectAccessReviewStatus holds the result of an access review.',
      protobuf: { allowed: 1, reason: 2, evaluationError: 3, denied: 4 },
    },
  ),
  [authz('SelfSubjectAccessReviewSpec')]: object(attributes, {
    description: 'Exactly one of resourceAttributes and nonResourceAttributes must be set.',
    protobuf: { resourceAttributes: 1, nonResourceAttributes: 2 },
  }),
  [authz('SelfSubjectAccessReview')]: kindSchema(
    gvk('SelfSubjectAccessReview'),
    { spec: ref(authz('SelfSubjectAccessReviewSpec')), status: accessStatus },
    'SelfSubjectAccessReview checks whether the current user can perform an action.',
    { spec: 2, status: 3 },
  ),
  [authz('SubjectAccessReviewSpec')]: object(
    {
      ...attributes,
      extra: mapOf(listOf(str()), 'Extra information about the user.'),
      groups: strings('The groups of the user being asked about.'),
      uid: str('The UID of the user being asked about.'),
      user: str('The user being asked about.'),
    },
    {
      description: 'Who is asking about what: a user, their groups, and one request.',
    },
  ),
  [authz('SubjectAccessReview')]: kindSchema(
    gvk('SubjectAccessReview'),
    { spec: ref(authz('SubjectAccessReviewSpec')), status: accessStatus },
    'SubjectAccessReview checks whether a user or group can perform an action.',
    { spec: 2, status: 3 },
  ),
  [authz('LocalSubjectAccessReview')]: kindSchema(
    gvk('LocalSubjectAccessReview'),
    { spec: ref(authz('SubjectAccessReviewSpec')), status: accessStatus },
    'LocalSubjectAccessReview checks whether a user or group can perform an action in a given namespace.',
  ),
  [authz('SelfSubjectRulesReviewSpec')]: object(
    { namespace: str('The namespace to list the rules of.') },
    {
      description: 'SelfSubjectRulesReviewSpec says where to evaluate the rules.',
      protobuf: { namespace: 1 },
    },
  ),
  [authz('ResourceRule')]: object(
    {
      apiGroups: strings('API groups.'),
      resourceNames: strings('Resource names; empty means all.'),
      resources: strings('Resources.'),
      verbs: strings('Verbs.'),
    },
    {
      required: ['verbs'],
      description: 'ResourceRule is a rule on resources the user holds.',
      protobuf: { verbs: 1, apiGroups: 2, resources: 3, resourceNames: 4 },
    },
  ),
  [authz('NonResourceRule')]: object(
    { nonResourceURLs: strings('Partial URLs.'), verbs: strings('Verbs.') },
    {
      required: ['verbs'],
      description: 'NonResourceRule is a rule on non-resource paths the user holds.',
      protobuf: { verbs: 1, nonResourceURLs: 2 },
    },
  ),
  [authz('SubjectRulesReviewStatus')]: object(
    {
      evaluationError: str('Errors met while gathering the rules.'),
      incomplete: bool('True when the rules may be incomplete.'),
      nonResourceRules: listOf(ref(authz('NonResourceRule'))),
      resourceRules: listOf(ref(authz('ResourceRule'))),
    },
    {
      required: ['resourceRules', 'nonResourceRules', 'incomplete'],
      description: 'The rules the user holds.',
      protobuf: { resourceRules: 1, nonResourceRules: 2, incomplete: 3, evaluationError: 4 },
    },
  ),
  [authz('SelfSubjectRulesReview')]: kindSchema(
    gvk('SelfSubjectRulesReview'),
    { spec: ref(authz('SelfSubjectRulesReviewSpec')), status: ref(authz('SubjectRulesReviewStatus')) },
    'SelfSubjectRulesReview lists the actions the current user can perform in a namespace.',
    { spec: 2, status: 3 },
  ),
  [authn('UserInfo')]: object(
    {
      groups: strings('The names of groups this user is a part of.'),
      uid: str('A unique value that identifies this user across time.'),
      username: str('The name that uniquely identifies this user among all active users.'),
    },
    {
      description:
        'UserInfo holds the information about the user needed to implement the user.Info interface (the hub gives its users no extra).',
      protobuf: { username: 1, uid: 2, groups: 3 },
    },
  ),
  [authn('SelfSubjectReviewStatus')]: object(
    { userInfo: ref(authn('UserInfo'), 'User attributes of the user making this request.') },
    { description: 'SelfSubjectReviewStatus is filled by the server.', protobuf: { userInfo: 1 } },
  ),
  [authn('SelfSubjectReview')]: kindSchema(
    { group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview' },
    { status: ref(authn('SelfSubjectReviewStatus')) },
    'SelfSubjectReview contains the user information that the server has about the user making this request.',
    { status: 2 },
  ),
  [authnBeta('SelfSubjectReviewStatus')]: object(
    { userInfo: ref(authn('UserInfo'), 'User attributes of the user making this request.') },
    { description: 'SelfSubjectReviewStatus is filled by the server.', protobuf: { userInfo: 1 } },
  ),
  [authnBeta('SelfSubjectReview')]: kindSchema(
    { group: 'authentication.k8s.io', version: 'v1beta1', kind: 'SelfSubjectReview' },
    { status: ref(authnBeta('SelfSubjectReviewStatus')) },
    'SelfSubjectReview contains the user information that the server has about the user making this request.',
    { status: 2 },
  ),
};
