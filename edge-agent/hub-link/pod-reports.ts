// The pod manager's reports (PodManagerReports) into the outbox. Each item is checked with the
// route's own validator first: the hub drops a whole batch that fails validation, so one bad
// status must not take 199 good ones with it.
import { validateEventBatch } from '../../api/mqtt/payloads/events.js';
import { validatePodStatusBatch } from '../../api/mqtt/payloads/pod-status.js';
import type { PodManagerReports } from '../pods/pod-manager-contract.js';
import type { Outbox } from './outbox.js';

export function outboxReports(
  outbox: Outbox,
  onQueued: () => void,
  log: (line: string) => void,
): PodManagerReports {
  return {
    podStatus(item) {
      const checked = validatePodStatusBatch({ items: [item] });
      if (!checked.ok) {
        log(`hub link: status of pod ${item.namespace}/${item.name} dropped: ${checked.error}`);
        return;
      }
      outbox.add({ kind: 'podStatus', item });
      onQueued();
    },
    event(event) {
      const checked = validateEventBatch({ items: [event] });
      if (!checked.ok) {
        log(
          `hub link: event ${event.reason} about pod ${event.involvedObject.name} dropped: ${checked.error}`,
        );
        return;
      }
      outbox.add({ kind: 'event', item: event });
      onQueued();
    },
  };
}
