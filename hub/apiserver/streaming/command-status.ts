import type { Logger } from '../../../api/logger.js';
// How a command (exec or attach) ended, as the status kubectl reads from the error stream or
// channel: the exit code, or the gateway's failure.
import { type ExecCall, NodeRequestError } from '../node-requests/node-requests.js';
import { type ExecStatus, exitStatus, failureStatus } from './channel-protocol.js';

/** Resolves once the call ended (never rejects); `log` hears failures that are not exit codes. */
export function commandStatus(call: ExecCall, log?: Logger): Promise<ExecStatus> {
  return call.done.then(
    (exitCode) => exitStatus(exitCode),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      const reason =
        err instanceof NodeRequestError && err.kind !== 'failed' ? 'ServiceUnavailable' : 'InternalError';
      log?.warn(`command ended with an error: ${message}`);
      return failureStatus(message, reason);
    },
  );
}
