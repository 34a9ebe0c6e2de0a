// The one way `flotilla hub` and `flotilla agent` stop: on SIGTERM or SIGINT, stop what runs and
// exit 0, or 1 when stopping fails. Handlers go in before the process starts its work, so a
// signal that arrives while it is starting still stops it cleanly.
import type { Logger } from '../api/logger.js';

/** A second stop signal within this long of the first is the same request. */
const repeatedSignalMs = 1_000;

/** As kubelet's termination grace period: how long a stop may take before the process exits anyway. */
export const shutdownGraceMs = 20_000;

export interface StopOnSignals {
  log: Logger;
  /** What the stop does, for the log: `shutting down`, `stopping (pods keep running)`. */
  doing: string;
  stop(): Promise<void>;
}

export function stopOnSignals({ log, doing, stop }: StopOnSignals): void {
  let stoppingSince: number | undefined;
  const shutdown = (signal: string) => {
    if (stoppingSince !== undefined) {
      // One stop asked twice at once (a service manager signals every process of the hub, and
      // a launcher passes the signal on) is one request; asked again later, stop now.
      if (Date.now() - stoppingSince < repeatedSignalMs) return;
      log.error(`${signal} again, exiting now`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    log.info(`${signal}, ${doing}`);
    // A backstop: a stop that hangs on a peer or a disk must not keep a service manager
    // waiting for its SIGKILL.
    setTimeout(() => {
      log.error(`not stopped after ${shutdownGraceMs / 1000}s, exiting`);
      process.exit(1);
    }, shutdownGraceMs).unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error(`stop failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
