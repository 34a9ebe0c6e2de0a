// The one error a `flotilla` command throws for a bad command line: cli/flotilla.ts prints its
// message as one line, prefixed with the command, and exits 2.

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A flag parser's error (a plain Error naming the flag) as a usage error. */
export function asUsageError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}
