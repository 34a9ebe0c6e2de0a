// Wakes the CronJob controller when a schedule fires, with node-cron 4 (tasks with an IANA
// `timezone`, unref'd timers, destroy() to drop them). The trigger only wakes: the controller
// decides from its own clock what is due, so a missed or doubled tick changes nothing.
import cron, { type ScheduledTask } from 'node-cron';
import { type Logger, silentLogger } from '../../../api/logger.js';
import { descriptors, splitZonePrefix } from './cron-expression.js';

export interface CronTrigger {
  /** (Re)arms the wake-ups for `key`. */
  set(key: string, schedule: string, timeZone: string): void;
  remove(key: string): void;
  stop(): void;
}

/**
 * The node-cron patterns that fire at least whenever the kube schedule does. node-cron ANDs
 * day-of-month with day-of-week, classic cron ORs them when both are restricted, so that case
 * becomes two patterns. `@every` has no cron form: [] (the controller's own timer covers it).
 */
export function nodeCronPatterns(schedule: string): { patterns: string[]; zone: string | undefined } {
  const { zone, spec } = splitZonePrefix(schedule);
  if (spec.startsWith('@every')) return { patterns: [], zone };
  const fields = (descriptors[spec] ?? spec).replaceAll('?', '*').split(/\s+/);
  const [minute, hour, dom, month, dow] = fields;
  const open = (field: string | undefined) => field === '*';
  if (open(dom) || open(dow)) return { patterns: [fields.join(' ')], zone };
  return { patterns: [`${minute} ${hour} ${dom} ${month} *`, `${minute} ${hour} * ${month} ${dow}`], zone };
}

export class NodeCronTrigger implements CronTrigger {
  private readonly tasks = new Map<string, { armed: string; tasks: ScheduledTask[] }>();

  constructor(
    private readonly fire: (key: string) => void,
    private readonly log: Logger = silentLogger,
  ) {}

  set(key: string, schedule: string, timeZone: string): void {
    const armed = `${schedule}\u0000${timeZone}`;
    if (this.tasks.get(key)?.armed === armed) return;
    this.remove(key);
    const { patterns, zone } = nodeCronPatterns(schedule);
    const tasks: ScheduledTask[] = [];
    for (const pattern of patterns) {
      try {
        tasks.push(
          cron.schedule(pattern, () => this.fire(key), {
            name: `cronjob ${key}`,
            timezone: zone ?? timeZone,
            unref: true,
            suppressMissedWarning: true,
          }),
        );
      } catch (err) {
        this.log
          .child('cronjob')
          .warn(`${key}: node-cron cannot run ${JSON.stringify(pattern)}: ${(err as Error).message}`);
      }
    }
    this.tasks.set(key, { armed, tasks });
  }

  remove(key: string): void {
    for (const task of this.tasks.get(key)?.tasks ?? []) void task.destroy();
    this.tasks.delete(key);
  }

  stop(): void {
    for (const key of [...this.tasks.keys()]) this.remove(key);
  }
}
