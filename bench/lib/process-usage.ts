// CPU time and resident memory of another process, sampled from /proc: the hub runs in its own
// process, so what it uses is its own and not the load generator's.
import { readFileSync } from 'node:fs';
import { readRssKiB } from './process-rss.js';

/** Linux reports utime/stime in clock ticks of USER_HZ, which is 100 on every common build. */
const ticksPerSecond = 100;

/** User + system CPU seconds the process has used so far. */
export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

export interface UsageSummary {
  /** Average cores over the window. */
  cores: number;
  rssMiBEnd: number;
  rssMiBPeak: number;
  seconds: number;
}

/** Samples CPU and RSS once a second from now until stop(); a vanished process ends the samples. */
export class UsageSampler {
  private readonly startCpu: number;
  private readonly startAt = Date.now();
  private lastCpu: number;
  private rssEnd = 0;
  private rssPeak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.startCpu = readCpuSeconds(pid);
    this.lastCpu = this.startCpu;
    this.sample();
    this.timer = setInterval(() => this.sample(), 1_000);
  }

  private sample(): void {
    try {
      this.lastCpu = readCpuSeconds(this.pid);
      this.rssEnd = readRssKiB(this.pid) / 1024;
      this.rssPeak = Math.max(this.rssPeak, this.rssEnd);
    } catch {
      clearInterval(this.timer);
    }
  }

  stop(): UsageSummary {
    this.sample();
    clearInterval(this.timer);
    const seconds = (Date.now() - this.startAt) / 1_000;
    return {
      cores: seconds > 0 ? (this.lastCpu - this.startCpu) / seconds : 0,
      rssMiBEnd: this.rssEnd,
      rssMiBPeak: this.rssPeak,
      seconds,
    };
  }
}
