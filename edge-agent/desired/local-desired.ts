import type { Logger } from '../../api/logger.js';
// The desired state local state kept from the last run: what the agent replays at start-up
// (desired-view.ts), before and without the hub. Another node's (a data dir copied between
// gateways) is not this one's to run.
import type { AgentDesired } from '../../api/mqtt/payloads/desired-state.js';
import type { LocalState } from '../local-state/local-state.js';

export function loadLocalDesired(state: LocalState, nodeName: string, log: Logger): AgentDesired | undefined {
  const loaded = state.desired();
  if (loaded && loaded.node !== nodeName) {
    log.warn(`local state holds node ${loaded.node}'s desired state, not ${nodeName}'s; ignored`);
    return undefined;
  }
  return loaded;
}
