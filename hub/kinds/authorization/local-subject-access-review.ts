// LocalSubjectAccessReview (authorization.k8s.io/v1): a SubjectAccessReview scoped to one namespace, which a namespace admin may create (`admin` grants it).
// Create-only and never stored: the API server answers it (hub/apiserver/auth/reviews.ts).

import { authReviewSchemas } from '../../apiserver/openapi/auth-review-schemas.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const localSubjectAccessReviewKind: KindDefinition = {
  openapi: authReviewSchemas,
  info: resourceInfo({
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'localsubjectaccessreviews',
    kind: 'LocalSubjectAccessReview',
    namespaced: true,
    verbs: ['create'],
  }),
  review: true,
  // JSON only, as SubjectAccessReview (its spec.extra has no place in the schema-derived messages).
};
