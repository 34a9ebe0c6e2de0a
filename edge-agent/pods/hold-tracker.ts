import type { Logger } from '../../api/logger.js';
// The pod manager's side of the disconnect policy, once per pass: which pods podsToHold() holds
// now, remembered in their records (the status builder shows them Disconnected) with an event
// when a hold starts or ends; and, after every return of the hub, one resend of every status,
// because the hub marked the pods as last reported meanwhile and an unchanged pod would
// otherwise never say so again.
import type { KubeObject } from '../../api/types.js';
import { type HubContactView, podsToHold } from './disconnect-holds.js';
import type { PodEvents } from './pod-events.js';
import type { PodRecords } from './pod-records.js';
import { isDeleting, podDescription, podUid } from './pod-spec.js';

export const disconnectedReason = 'Disconnected';

export class HoldTracker {
  private regainedSeen = 0;

  constructor(
    private readonly contact: HubContactView | undefined,
    private readonly records: PodRecords,
    private readonly events: Pick<PodEvents, 'emit'>,
    private readonly log: Logger,
  ) {}

  /** The uids to hold stopped in this pass. Finished pods are never held: they must not rerun. */
  update(pods: readonly KubeObject[], now: number): Set<string> {
    const running = pods.filter((pod) => this.records.of(podUid(pod)).terminalPhase === undefined);
    const holds = podsToHold(running, this.contact?.offlineSince(), now);
    for (const pod of pods) {
      const uid = podUid(pod);
      const record = this.records.of(uid);
      const hold = holds.get(uid);
      if (hold && !record.hold) {
        record.hold = { reason: disconnectedReason, message: hold.message };
        this.events.emit(uid, 'Warning', disconnectedReason, hold.message);
        this.log.info(`${podDescription(pod)}: ${hold.message}`);
      } else if (!hold && record.hold) {
        record.hold = undefined;
        // A fresh start: the old containers are gone, and so are their back-off and reasons.
        record.reasons.clear();
        record.crashBackoff.clear();
        if (!isDeleting(pod)) {
          const message = 'The hub is back and still wants this pod here: starting it again';
          this.events.emit(uid, 'Normal', 'Reconnected', message);
          this.log.info(`${podDescription(pod)}: ${message}`);
        }
      }
    }
    return new Set(holds.keys());
  }

  /** True in the first pass after each return of the hub. */
  resendDue(): boolean {
    const regained = this.contact?.regained ?? 0;
    if (regained === this.regainedSeen) return false;
    this.regainedSeen = regained;
    return true;
  }
}
