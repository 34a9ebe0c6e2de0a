// Issues ServiceAccount tokens (kube-apiserver's TokenRequest REST storage and JWT token
// generator): signed claims for a ServiceAccount, optionally bound to a Pod or a Secret, for
// the requested audiences (the API server's own when none) and lifetime.
//
// A pod's projected token asks for 3607 s: as kube-apiserver does by default
// (--service-account-extend-token-expiration), such a token is valid for a year, with a
// `warnafter` at the hour, and its status still says the hour, so the agent refreshes it hourly
// while a gateway cut off from the hub keeps a token its pods can still use.
import type { Clock } from '../../api/clock.js';
import { signJws } from './jws.js';
import type { SigningKey } from './signing-key.js';
import { buildClaims, type ObjectRef, type TokenClaims } from './token-claims.js';

/** kube's minimum TokenRequest lifetime (ValidateTokenRequest). */
export const minExpirationSeconds = 600;
export const defaultExpirationSeconds = 3600;
/** The lifetime kubelet asks for a projected token, the one that is extended. */
export const podTokenExpirationSeconds = 3607;
const extendedExpirationSeconds = 365 * 24 * 3600;

export interface IssueRequest {
  namespace: string;
  serviceAccount: ObjectRef;
  /** The audiences; the API server's when empty. */
  audiences: string[];
  expirationSeconds: number;
  pod?: ObjectRef | undefined;
  node?: ObjectRef | undefined;
  secret?: ObjectRef | undefined;
}

export interface IssuedToken {
  token: string;
  /** When the token should be considered expired (the requested lifetime). */
  expirationTimestamp: Date;
  claims: TokenClaims;
}

export interface TokenIssuerOptions {
  key: SigningKey;
  issuer: string;
  /** Audiences the API server accepts; the first is the default of a request that names none. */
  apiAudiences: string[];
  clock: Clock;
  /** Extend pods' 3607 s tokens to a year (kube-apiserver's default). */
  extendPodTokens?: boolean;
}

export class TokenIssuer {
  constructor(readonly options: TokenIssuerOptions) {}

  get issuer(): string {
    return this.options.issuer;
  }

  get apiAudiences(): readonly string[] {
    return this.options.apiAudiences;
  }

  issue(request: IssueRequest): IssuedToken {
    const now = Math.floor(this.options.clock.now().getTime() / 1000);
    const extend =
      (this.options.extendPodTokens ?? true) &&
      request.pod !== undefined &&
      request.expirationSeconds === podTokenExpirationSeconds;
    const claims = buildClaims({
      issuer: this.options.issuer,
      audiences: request.audiences.length > 0 ? request.audiences : [...this.options.apiAudiences],
      namespace: request.namespace,
      serviceAccount: request.serviceAccount,
      pod: request.pod,
      node: request.pod ? request.node : undefined,
      secret: request.secret,
      now,
      expirationSeconds: extend ? extendedExpirationSeconds : request.expirationSeconds,
      warnAfterSeconds: extend ? request.expirationSeconds : undefined,
    });
    const token = signJws({ ...claims }, this.options.key.privateKey, this.options.key.kid);
    return { token, expirationTimestamp: new Date((now + request.expirationSeconds) * 1000), claims };
  }
}
