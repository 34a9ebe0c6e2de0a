// SelfSubjectReview (authentication.k8s.io/v1): Who the hub takes the requester for (kubectl auth whoami).
// Create-only and never stored: the API server answers it (hub/apiserver/auth/reviews.ts).
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const selfSubjectReviewKind: KindDefinition = {
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
