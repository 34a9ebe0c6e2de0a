// What a datafile of nedb's format (one JSON document per line) holds that a load will drop: a
// torn last line (power lost mid-append) or corrupt lines. nedb drops them silently (with
// corruptAlertThreshold 1) or refuses the file; the agent says which file and how many.
import { readFile } from 'node:fs/promises';

/** Lines of `path` that are not a complete JSON document; 0 for a missing file. */
export async function countTornLines(path: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err; // EISDIR, EIO: nedb reports some of these from a stream nobody listens to
  }
  let dropped = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      JSON.parse(line);
    } catch {
      dropped += 1;
    }
  }
  return dropped;
}
