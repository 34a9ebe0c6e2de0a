// SubjectAccessReview (authorization.k8s.io/v1): Whether a given user and groups may make a request (for components that authorize on the hub's behalf).
// Create-only and never stored: the API server answers it (hub/apiserver/auth/reviews.ts).

import { authReviewSchemas } from '../../apiserver/openapi/auth-review-schemas.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const subjectAccessReviewKind: KindDefinition = {
  openapi: authReviewSchemas,
  info: resourceInfo({
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'subjectaccessreviews',
    kind: 'SubjectAccessReview',
    namespaced: false,
    verbs: ['create'],
  }),
  review: true,
  // JSON only: kubectl never sends one, and its spec.extra (a map of string lists) has no place
  // in the schema-derived protobuf messages.
};
