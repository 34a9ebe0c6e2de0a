import type { Logger } from '../../api/logger.js';
// The LoadBalancer announcer as the agent starts it (--lb-announce-port): optional, and a beat
// port that cannot be had turns it off with one line rather than failing the agent.
import { commandRunner } from '../proxy/run-command.js';
import { LbAnnouncer } from './lb-announcer.js';

/** The LoadBalancer announcer, or undefined when off or when its beat port cannot be had (said once). */
export async function startAnnouncer(
  nodeName: string,
  choice: { port: number } | undefined,
  log: Logger,
): Promise<LbAnnouncer | undefined> {
  if (!choice) return undefined;
  const announcer = new LbAnnouncer({ nodeName, port: choice.port, run: commandRunner(), log });
  try {
    await announcer.start();
    return announcer;
  } catch (err) {
    log.warn(`LoadBalancer addresses not announced: UDP port ${choice.port}: ${(err as Error).message}`);
    return undefined;
  }
}
