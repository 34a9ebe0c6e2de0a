// How each kind of client identifies itself in CONNECT (MQTT 3.1.1 has only client id,
// username and password). A gateway's identity is its node key, a random secret the agent
// generates once and keeps: the first CONNECT under a node name presents a bootstrap token too
// (`<token>:<node key>`), and the hub binds that name to the key (it keeps the key's SHA-256);
// from then on the key alone is checked, online or offline, and the token is not needed.

export const hubUsername = 'flotilla-hub';
export const dashboardUsername = 'dashboard';
/** SCADA host applications on the Sparkplug B namespace (password: DIR/sparkplug-token). */
export const sparkplugUsername = 'sparkplug';
export const nodeClientPrefix = 'node:';
export const hubClientPrefix = 'hub:';

/** Node keys: 16 to 128 characters of [A-Za-z0-9_-] (e.g. 32 random bytes in base64url). */
export const nodeKeyPattern = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * The password a gateway sends: `<bootstrap token>:<node key>` while it may still have to join,
 * the node key alone once it has no token (its key is bound).
 */
export function nodePassword(joinToken: string | undefined, nodeKey: string): string {
  return joinToken ? `${joinToken}:${nodeKey}` : nodeKey;
}

/** Splits a gateway password; undefined when it is neither `<token>:<node key>` nor a node key. */
export function parseNodePassword(password: string): { joinToken?: string; nodeKey: string } | undefined {
  const colon = password.lastIndexOf(':');
  const nodeKey = password.slice(colon + 1);
  if (!nodeKeyPattern.test(nodeKey)) return undefined;
  if (colon < 0) return { nodeKey };
  if (colon === 0) return undefined;
  return { joinToken: password.slice(0, colon), nodeKey };
}
