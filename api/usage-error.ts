// The one error a `flotilla` command throws for a bad command line: cli/flotilla.ts prints its
// message as one line, prefixed with the command, and exits 2.

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A flag given a value it cannot take, in Kubernetes' words: `--flag: Invalid value: "v": why`. */
export function invalidFlagValue(flag: string, value: string, why: string): UsageError {
  return new UsageError(`${flag}: Invalid value: ${JSON.stringify(value)}: ${why}`);
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
