import type { Logger } from '../../api/logger.js';
// The pod manager's reports (PodManagerReports) into the outbox. Each item is checked with the
// route's own validator first: the hub would refuse it (alone) anyway, so it is not worth
// queueing and sending.
import { firstProblem } from '../../api/mqtt/payloads/checks.js';
import { validateEventBatch } from '../../api/mqtt/payloads/events.js';
import { validatePodStatusBatch } from '../../api/mqtt/payloads/pod-status.js';
import type { PodManagerReports } from '../pods/pod-manager-contract.js';
import type { Outbox } from './outbox.js';

export function outboxReports(outbox: Outbox, onQueued: () => void, log: Logger): PodManagerReports {
  return {
    podStatus(item) {
      const problem = firstProblem(validatePodStatusBatch({ items: [item] }));
      if (problem) {
        log.warn(`status of pod ${item.namespace}/${item.name} dropped: ${problem}`);
        return;
      }
      outbox.add({ kind: 'podStatus', item });
      onQueued();
    },
    event(event) {
      const problem = firstProblem(validateEventBatch({ items: [event] }));
      if (problem) {
        log.warn(`event ${event.reason} about pod ${event.involvedObject.name} dropped: ${problem}`);
        return;
      }
      outbox.add({ kind: 'event', item: event });
      onQueued();
    },
  };
}
