// SelfSubjectRulesReview (authorization.k8s.io/v1): Every rule the requester holds in a namespace (kubectl auth can-i --list).
// Create-only and never stored: the API server answers it (hub/apiserver/auth/reviews.ts).

import { authReviewSchemas } from '../../apiserver/openapi/auth-review-schemas.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const selfSubjectRulesReviewKind: KindDefinition = {
  openapi: authReviewSchemas,
  info: resourceInfo({
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectrulesreviews',
    kind: 'SelfSubjectRulesReview',
    namespaced: false,
    verbs: ['create'],
  }),
  review: true,
  protobufMessage: 'k8s.io.api.authorization.v1.SelfSubjectRulesReview',
};
