// An append-only log file that keeps at most two generations: when the file passes maxBytes it
// becomes <file>.1 (replacing the older one) and a new file starts. Writes are synchronous and
// small (a daemon's output), which keeps the rotation free of races.
import { appendFileSync, readFileSync, renameSync, statSync } from 'node:fs';

export class RotatingLog {
  private size: number;

  constructor(
    readonly file: string,
    private readonly maxBytes: number = 5 * 1024 * 1024,
  ) {
    this.size = RotatingLog.currentSize(file);
  }

  write(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate();
    try {
      appendFileSync(this.file, bytes);
      this.size += bytes.length;
    } catch {
      // A full or vanished disk must not take the supervisor down.
    }
  }

  /** The last `count` lines, for error messages. */
  tail(count: number): string[] {
    try {
      return readFileSync(this.file, 'utf8').trimEnd().split('\n').slice(-count);
    } catch {
      return [];
    }
  }

  private rotate(): void {
    try {
      renameSync(this.file, `${this.file}.1`);
    } catch {
      // nothing to rotate
    }
    this.size = 0;
  }

  private static currentSize(file: string): number {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  }
}
