// What a fuzz run found, each with what replays it: the seed, the case and the request.
import { type FuzzCategory, type FuzzSettings, replayLine } from './fuzz-settings.js';

export interface Finding {
  category: FuzzCategory | 'global';
  index: number;
  problem: string;
  request?: string;
}

const shownFindings = 20;

export class FuzzFindings {
  readonly list: Finding[] = [];
  /** Cases run, by category. */
  readonly counts = new Map<string, number>();
  /** Time spent on each category's cases (request and oracles), in ms, summed over lanes. */
  readonly millis = new Map<string, number>();

  constructor(private readonly settings: FuzzSettings) {}

  /** Answers by HTTP status class and category, e.g. `api-body 2xx`. */
  readonly answers = new Map<string, number>();

  answered(category: string, status: number): void {
    const key = `${category} ${Math.floor(status / 100)}xx`;
    this.answers.set(key, (this.answers.get(key) ?? 0) + 1);
  }

  /** The slowest cases, slowest first: where the hub spends its time. */
  readonly slowest: { ms: number; what: string }[] = [];

  ran(category: string, ms = 0, what = ''): void {
    this.counts.set(category, (this.counts.get(category) ?? 0) + 1);
    this.millis.set(category, (this.millis.get(category) ?? 0) + ms);
    if (this.slowest.length < 5 || ms > this.slowest[this.slowest.length - 1]!.ms) {
      this.slowest.push({ ms, what });
      this.slowest.sort((a, b) => b.ms - a.ms);
      this.slowest.length = Math.min(this.slowest.length, 5);
    }
  }

  /** What the run did: cases and mean time by category, answers by status class, slowest cases. */
  summaryLines(seconds: number): string[] {
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    const byCategory = [...this.counts].map(
      ([c, n]) => `${c} ${n} (${((this.millis.get(c) ?? 0) / Math.max(1, n)).toFixed(1)} ms each)`,
    );
    const answers = [...this.answers].sort().map(([k, n]) => `${k} ${n}`);
    return [
      `    fuzz: ${total} cases in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s): ${byCategory.join(', ')}`,
      `    answers: ${answers.join(', ')}`,
      ...this.slowest.map((s) => `    slow: ${Math.round(s.ms)} ms ${s.what}`),
    ];
  }

  add(finding: Finding): void {
    this.list.push(finding);
  }

  /** The report mocha prints when the run failed: the first findings with their replay lines. */
  report(): string {
    const lines = [`${this.list.length} finding(s) with FUZZ_SEED=${this.settings.seed}:`];
    for (const f of this.list.slice(0, shownFindings)) {
      lines.push(`- [${f.category}:${f.index}] ${f.problem}`);
      if (f.request) lines.push(`    request: ${f.request}`);
      if (f.category !== 'global')
        lines.push(`    replay:  ${replayLine(this.settings, f.category, f.index)}`);
    }
    if (this.list.length > shownFindings) lines.push(`... and ${this.list.length - shownFindings} more`);
    return lines.join('\n');
  }
}

/** A request as a replayable one-liner (bodies cut at 2 KiB). */
export function describeRequest(req: {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer | undefined;
  note?: string;
}): string {
  const body =
    req.body === undefined
      ? ''
      : Buffer.isBuffer(req.body)
        ? `<${req.body.length} bytes: ${req.body.toString('hex').slice(0, 200)}>`
        : req.body;
  const cut = body.length > 2048 ? `${body.slice(0, 2048)}…(${body.length} chars)` : body;
  return `${req.method} ${req.path} ${JSON.stringify(req.headers)} ${cut}${req.note ? `  — ${req.note}` : ''}`;
}
