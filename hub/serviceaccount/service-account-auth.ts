// ServiceAccount tokens as the hub wires them: one signing key from the data dir, the issuer
// that signs with it, the authenticator that checks tokens against the hub's informers, and
// what issuer discovery publishes.
import type { Clock } from '../../api/clock.js';
import type { Logger } from '../../api/logger.js';
import type { IssuerDiscovery } from '../apiserver/issuer-discovery.js';
import type { SharedInformers } from '../client/shared-informers.js';
import { loadOrCreateSigningKey } from './signing-key.js';
import { ServiceAccountTokenAuthenticator } from './token-authenticator.js';
import { TokenIssuer } from './token-issuer.js';

/** kube-apiserver's usual --service-account-issuer (and k3s' default). */
export const defaultServiceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

export interface ServiceAccountAuth {
  issuer: TokenIssuer;
  authenticator: ServiceAccountTokenAuthenticator;
  discovery(apiUrl: string): IssuerDiscovery;
}

export function serviceAccountAuth(options: {
  dataDir: string;
  issuer?: string | undefined;
  informers: SharedInformers;
  clock: Clock;
  log?: Logger;
}): ServiceAccountAuth {
  const key = loadOrCreateSigningKey(options.dataDir);
  const issuerUrl = options.issuer ?? defaultServiceAccountIssuer;
  // --api-audiences defaults to the issuer.
  const apiAudiences = [issuerUrl];
  const byKey = (resource: string) => {
    const informer = options.informers.for({ group: '', resource });
    return (namespace: string, name: string) => informer.get(`${namespace}/${name}`);
  };
  const issuer = new TokenIssuer({ key, issuer: issuerUrl, apiAudiences, clock: options.clock });
  const authenticator = new ServiceAccountTokenAuthenticator({
    key,
    issuer: issuerUrl,
    apiAudiences,
    clock: options.clock,
    objects: {
      serviceAccount: byKey('serviceaccounts'),
      pod: byKey('pods'),
      secret: byKey('secrets'),
    },
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    issuer,
    authenticator,
    discovery: (apiUrl) => ({ issuer: issuerUrl, jwksUri: `${apiUrl}/openid/v1/jwks`, key }),
  };
}
