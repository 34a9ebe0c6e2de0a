// ServiceAccount issuer discovery (kube-apiserver's ServiceAccountIssuerDiscovery): the OpenID
// provider configuration and the key set, so that a party outside the cluster (a cloud's
// workload identity, a vault) can check a pod's token without asking the hub.
import type { SigningKey } from '../serviceaccount/signing-key.js';

export interface IssuerDiscovery {
  issuer: string;
  /** The URL the key set is served at (the hub's own address). */
  jwksUri: string;
  key: SigningKey;
}

export const openIdConfigurationPath = '/.well-known/openid-configuration';
export const jwksPath = '/openid/v1/jwks';

/** The document at `path` (with or without a trailing slash), if it is one of the two. */
export function issuerDocument(discovery: IssuerDiscovery, path: string): object | undefined {
  const bare = path.endsWith('/') ? path.slice(0, -1) : path;
  if (bare === openIdConfigurationPath) {
    return {
      issuer: discovery.issuer,
      jwks_uri: discovery.jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }
  if (bare === jwksPath) return { keys: [discovery.key.jwk] };
  return undefined;
}
