// How a `flotilla` command that failed ends: one line on stderr, exit code 2 for a bad command
// line (with where to read the usage), 1 for anything else.

export function exitOnFailure(err: unknown, usageError: boolean): never {
  if (usageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`flotilla: ${(err as Error).message}`);
    console.error('Run "flotilla --help" for usage.');
    process.exit(2);
  }
  const message =
    (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? `cannot listen: ${(err as Error).message}`
      : (err as Error).message;
  console.error(`flotilla: ${message}`);
  process.exit(1);
}
