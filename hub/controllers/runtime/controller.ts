// What every controller gets and provides. Controllers are level-based: reconcile(key) re-reads
// the world from the informers, converges it through the Registry (so every write is validated
// like an API request), writes status last, and throws to be retried with back-off.
import type { Clock } from '../../../api/clock.js';
import type { Logger } from '../../../api/logger.js';
import type { Registry } from '../../apiserver/registry/registry.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { HeartbeatView } from '../../node-heartbeats.js';

export interface ControllerContext {
  registry: Registry;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Gateways' latest heartbeats, in memory (the stored Leases are written lazily). */
  heartbeats?: HeartbeatView;
}

export interface Controller {
  readonly name: string;
  start(): void;
  stop(): void;
}

/** A component of the hub made of controllers (the controller manager, the scheduler…), running. */
export interface RunningComponent {
  stop(): void;
}

/**
 * Starts `controllers` in order, only those named in `only` when it is given (tests that drive
 * some controllers themselves), and stops them together.
 */
export function runControllers(
  controllers: readonly Controller[],
  only?: readonly string[],
): RunningComponent {
  const running = controllers.filter((controller) => !only || only.includes(controller.name));
  for (const controller of running) controller.start();
  return {
    stop: () => {
      for (const controller of running) controller.stop();
    },
  };
}
