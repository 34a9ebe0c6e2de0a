// SelfSubjectAccessReview (authorization.k8s.io/v1): What the requester may do: one request's attributes in, allowed or not out (kubectl auth can-i).
// Create-only and never stored: the API server answers it (hub/apiserver/auth/reviews.ts).

import { authReviewSchemas } from '../../apiserver/openapi/auth-review-schemas.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const selfSubjectAccessReviewKind: KindDefinition = {
  openapi: authReviewSchemas,
  info: resourceInfo({
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectaccessreviews',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
    verbs: ['create'],
  }),
  review: true,
  protobufMessage: 'k8s.io.api.authorization.v1.SelfSubjectAccessReview',
};
