// Who is connecting, from the CONNECT packet's client id, username and password (the rules of
// api/mqtt/credentials.ts). Pure: for a gateway it only parses; whether its node key is the one
// bound to the name (or its bootstrap token may bind it) is node-credentials.ts's to decide.
// Return codes are MQTT 3.1.1 CONNACK codes [MQTT-3.2.2.3].
import type { Identity } from '../../api/mqtt/access.js';
import {
  dashboardUsername,
  hubClientPrefix,
  hubUsername,
  nodeClientPrefix,
  parseNodePassword,
  sparkplugUsername,
} from '../../api/mqtt/credentials.js';
import { isDNS1123Subdomain } from '../../api/validation/name-formats.js';
import { tokenMatches } from '../pki/hub-credentials.js';
import type { BrokerTokens } from './broker-tokens.js';

export const identifierRejected = 2;
export const badUsernameOrPassword = 4;

export interface ConnectCredentials {
  clientId: string;
  username: string | undefined;
  password: string | undefined;
}

export type Identification =
  | { ok: true; identity: Identity; nodeKey?: string; joinToken?: string | undefined }
  | { ok: false; returnCode: 2 | 4; reason: string };

function refuse(returnCode: 2 | 4, reason: string): Identification {
  return { ok: false, returnCode, reason };
}

export function identifyClient(creds: ConnectCredentials, tokens: BrokerTokens): Identification {
  const { clientId, username, password } = creds;
  if (!username || password === undefined) return refuse(badUsernameOrPassword, 'no username or password');
  if (username === hubUsername) {
    if (!tokenMatches(password, tokens.hub)) return refuse(badUsernameOrPassword, 'wrong hub token');
    if (!clientId.startsWith(hubClientPrefix))
      return refuse(identifierRejected, `hub client id must start with ${hubClientPrefix}`);
    return { ok: true, identity: { role: 'hub' } };
  }
  if (username === dashboardUsername) {
    if (!tokenMatches(password, tokens.dashboard))
      return refuse(badUsernameOrPassword, 'wrong dashboard token');
    if (clientId.startsWith(nodeClientPrefix) || clientId.startsWith(hubClientPrefix)) {
      return refuse(identifierRejected, 'dashboard client ids may not start with node: or hub:');
    }
    return { ok: true, identity: { role: 'dashboard' } };
  }
  if (username === sparkplugUsername) {
    if (!tokenMatches(password, tokens.sparkplug))
      return refuse(badUsernameOrPassword, 'wrong sparkplug token');
    if (clientId.startsWith(nodeClientPrefix) || clientId.startsWith(hubClientPrefix)) {
      return refuse(identifierRejected, 'sparkplug client ids may not start with node: or hub:');
    }
    return { ok: true, identity: { role: 'sparkplug' } };
  }
  const nameProblem = isDNS1123Subdomain(username)[0];
  if (nameProblem) return refuse(badUsernameOrPassword, `username is not a node name: ${nameProblem}`);
  const parsed = parseNodePassword(password);
  if (!parsed) {
    return refuse(badUsernameOrPassword, 'password is not <node key> or <bootstrap token>:<node key>');
  }
  if (clientId !== `${nodeClientPrefix}${username}`) {
    return refuse(identifierRejected, `client id must be ${nodeClientPrefix}${username}`);
  }
  return {
    ok: true,
    identity: { role: 'node', node: username },
    nodeKey: parsed.nodeKey,
    joinToken: parsed.joinToken,
  };
}
