// Presence, retained: "online" published by the agent after CONNACK, "offline" as its Last
// Will and before a clean DISCONNECT. The embedded broker also publishes "offline" for a node
// whose session ends, so a gateway that loses power is seen at once even without a Will.
import { needEnum, objectPayload, optCount, optString, type Validator } from './checks.js';

export interface Presence {
  state: 'online' | 'offline';
  /**
   * When the state began (ms since the epoch). A Last Will is written at connect time and
   * cannot know when the session drops, so it leaves this out: the hub uses the time it
   * received the Will.
   */
  since?: number;
  agentVersion?: string;
}

export const validatePresence: Validator<Presence> = objectPayload((errs, body) => {
  needEnum(errs, body.state, 'state', ['online', 'offline'] as const);
  optCount(errs, body.since, 'since');
  optString(errs, body.agentVersion, 'agentVersion', 64);
});
