// SelfSubjectReview (authentication.k8s.io/v1): Who the hub takes the requester for (kubectl auth whoami).
// Create-only and never stored: the API server answers it (hub/apiserver/auth/reviews.ts).

import { authReviewSchemas } from '../../apiserver/openapi/auth-review-schemas.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const selfSubjectReviewKind: KindDefinition = {
  openapi: authReviewSchemas,
  info: resourceInfo({
    group: 'authentication.k8s.io',
    version: 'v1',
    resource: 'selfsubjectreviews',
    kind: 'SelfSubjectReview',
    namespaced: false,
    verbs: ['create'],
  }),
  review: true,
  protobufMessage: 'k8s.io.api.authentication.v1.SelfSubjectReview',
};

/**
 * The same review under v1beta1, which kubectl 1.27 asks (`auth whoami` became v1 in 1.28);
 * Kubernetes 1.32 still serves it. Listed after v1, which discovery prefers.
 */
export const selfSubjectReviewV1beta1Kind: KindDefinition = {
  ...selfSubjectReviewKind,
  info: { ...selfSubjectReviewKind.info, version: 'v1beta1' },
  protobufMessage: 'k8s.io.api.authentication.v1beta1.SelfSubjectReview',
};
