// Wakes the CronJob controller when a schedule fires, with node-cron 4: it keeps the timers
// (tasks with an IANA `timezone`, daylight-saving changes included, unref'd, destroy() to drop
// them). The trigger only wakes: the controller decides from its own clock what is due, so a
// missed or doubled tick changes nothing. What node-cron cannot do stays ours: kube's dialect is
// read by api/validation/cron-schedule.ts (node-cron's validation accepts another dialect, with
// other messages), the either-day rule becomes two patterns here, and @every (which has no cron
// form) and the next time after an arbitrary instant are cron-expression.ts's. The controller
// also sets its own timer for that next time: node-cron skips a time it notices more than a
// second late (a hub busy at the top of the hour), and the controller must not.
import cron, { type ScheduledTask } from 'node-cron';
import { type Logger, silentLogger } from '../../../api/logger.js';
import { type CronSchedule, parseCronSchedule } from '../../../api/validation/cron-schedule.js';

export interface CronTrigger {
  /** (Re)arms the wake-ups for `key`. */
  set(key: string, schedule: string, timeZone: string): void;
  remove(key: string): void;
  stop(): void;
}

/**
 * The node-cron patterns that fire at least whenever the kube schedule does. node-cron ANDs
 * day-of-month with day-of-week, classic cron ORs them when both are restricted, so that case
 * becomes two patterns. `@every` has no cron form, nor has a schedule kube refuses: [] (the
 * controller's own timer covers the first).
 */
export function nodeCronPatterns(schedule: string): { patterns: string[]; zone: string | undefined } {
  const parsed = parseCronSchedule(schedule);
  if ('error' in parsed) return { patterns: [], zone: undefined };
  if (!parsed.texts) return { patterns: [], zone: parsed.zone };
  const fields = nodeCronFields(parsed);
  const [minute, hour, dom, month, dow] = fields;
  const open = (field: string | undefined) => field === '*';
  if (open(dom) || open(dow)) return { patterns: [fields.join(' ')], zone: parsed.zone };
  return {
    patterns: [`${minute} ${hour} ${dom} ${month} *`, `${minute} ${hour} * ${month} ${dow}`],
    zone: parsed.zone,
  };
}

/**
 * The fields in node-cron's dialect: `?` is `*`, and a field with a step from a start (`5/20`,
 * which node-cron refuses) is written as its list of values.
 */
function nodeCronFields({ texts, fields }: CronSchedule): string[] {
  return texts!.map((text, i) =>
    /(^|,)[^,*?/-]+\/[0-9]+/.test(text) ? [...fields![i]!.values].join(',') : text.replaceAll('?', '*'),
  );
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
