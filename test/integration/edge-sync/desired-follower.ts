// What a gateway holds after the desired-state messages it received, folded in arrival order the
// way the agent applies them (edge-agent/hub-link/desired-sync.ts): a snapshot when newer, a
// delta only onto exactly its base (anything else is a gap, counted).
import { decodePayload } from '../../../api/mqtt/codec.js';
import { applyDelta } from '../../../api/mqtt/payloads/desired-delta.js';
import type { DesiredState } from '../../../api/mqtt/payloads/desired-state.js';
import { isNewerRevision } from '../../../api/mqtt/revision.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import type { Gateway } from './mqtt-hub.js';

export interface Followed {
  state: DesiredState | undefined;
  snapshots: number;
  deltas: number;
  gaps: number;
}

export function followDesired(g: Gateway): Followed {
  const snapshotTopic = buildTopic(routes.desired, { node: g.node });
  const deltaTopic = buildTopic(routes.desiredDelta, { node: g.node });
  const out: Followed = { state: undefined, snapshots: 0, deltas: 0, gaps: 0 };
  for (const { topic, payload } of g.log) {
    if (topic === snapshotTopic && payload.byteLength > 0) {
      out.snapshots++;
      const decoded = decodePayload(routes.desired, payload);
      if (!decoded.ok) throw new Error(decoded.error);
      if (isNewerRevision(decoded.value.revision, out.state?.revision)) out.state = decoded.value;
    } else if (topic === deltaTopic) {
      out.deltas++;
      const decoded = decodePayload(routes.desiredDelta, payload);
      if (!decoded.ok) throw new Error(decoded.error);
      const delta = decoded.value;
      if (out.state && delta.revision <= out.state.revision) continue;
      if (!out.state || delta.from !== out.state.revision) out.gaps++;
      else out.state = applyDelta(out.state, delta);
    }
  }
  return out;
}
