// A hub and an agent speaking different desired-state protocols cannot work together (a
// protocol 1 agent would run without Services; a protocol 2 agent would read no routes): each
// side refuses the other's messages with one line naming both versions and what to upgrade.
import { protocolVersion } from './payloads/desired-state.js';

/**
 * Why `us` cannot serve a peer speaking version `theirs` (absent: 1, from before versions were
 * sent), or undefined when it can.
 */
export function protocolMismatch(theirs: number | undefined, us: 'hub' | 'agent'): string | undefined {
  const version = theirs ?? 1;
  if (version === protocolVersion) return undefined;
  const peer = us === 'hub' ? 'agent' : 'hub';
  const older = version < protocolVersion ? peer : us;
  return `the ${peer} speaks desired-state protocol ${version}, this ${us} speaks ${protocolVersion}: upgrade the ${older}`;
}
