// How each kind of client identifies itself in CONNECT (MQTT 3.1.1 has only client id,
// username and password). Gateways share one join token; the node key, a random secret the
// agent generates once and keeps, tells two gateways claiming the same name apart.

export const hubUsername = 'flotilla-hub';
export const dashboardUsername = 'dashboard';
export const nodeClientPrefix = 'node:';
export const hubClientPrefix = 'hub:';

/** Node keys: 16 to 128 characters of [A-Za-z0-9_-] (e.g. 32 random bytes in base64url). */
export const nodeKeyPattern = /^[A-Za-z0-9_-]{16,128}$/;

/** The password a gateway sends: `<join token>:<node key>`. */
export function nodePassword(joinToken: string, nodeKey: string): string {
  return `${joinToken}:${nodeKey}`;
}

/** Splits a gateway password; undefined when it is not `<token>:<node key>`. */
export function parseNodePassword(password: string): { joinToken: string; nodeKey: string } | undefined {
  const colon = password.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const nodeKey = password.slice(colon + 1);
  if (!nodeKeyPattern.test(nodeKey)) return undefined;
  return { joinToken: password.slice(0, colon), nodeKey };
}
