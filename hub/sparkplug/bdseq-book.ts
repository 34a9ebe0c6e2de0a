// The bdSeq of each edge node, kept in DIR/sparkplug-bdseq.json across hub restarts. bdSeq
// counts an edge node's MQTT connections (0-255, wrapping): the NDEATH registered as the Will of
// a connection and the NBIRTH sent on it carry the same number, and the next connection takes
// the next one. Kept on disk so that a hub restart never reuses the number of the session
// before it: a host that gets the old session's NDEATH late (the broker sends a Will when it
// notices the dead connection, which may be after the new session's NBIRTH) sees a bdSeq that
// is not the current one and ignores it, as the specification tells it to.
import { renameSync } from 'node:fs';
import type { Logger } from '../../api/logger.js';
import { readIfExists, writeSecretFile } from '../data-dir.js';

export class BdSeqBook {
  private readonly last: Map<string, number>;
  private writeScheduled = false;

  constructor(
    private readonly path: string,
    private readonly log: Logger,
  ) {
    this.last = new Map();
    const text = readIfExists(path);
    if (!text) return;
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      for (const [node, n] of Object.entries(parsed)) {
        if (Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 255)
          this.last.set(node, n as number);
      }
    } catch (err) {
      log.warn(`${path} is not JSON (${(err as Error).message}); bdSeq numbers start again`);
    }
  }

  /** The bdSeq of a new connection of `edgeNode`: one more than its last (0 for its first). */
  next(edgeNode: string): number {
    const last = this.last.get(edgeNode);
    const n = last === undefined ? 0 : (last + 1) % 256;
    this.last.set(edgeNode, n);
    this.scheduleWrite();
    return n;
  }

  /** Written once per turn of the event loop: a fleet connecting at start is one write. */
  private scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.writeScheduled = false;
    try {
      // Whole or not at all: a crash mid-write must not lose every number.
      writeSecretFile(`${this.path}.tmp`, `${JSON.stringify(Object.fromEntries(this.last))}\n`);
      renameSync(`${this.path}.tmp`, this.path);
    } catch (err) {
      this.log.warn(`bdSeq numbers not saved to ${this.path}: ${(err as Error).message}`);
    }
  }
}
