// The one error `flotilla agent` and its subcommands throw for a bad command line: bin/flotilla
// prints its message as one line and exits 2.

/** A bad flag or argument: reported as one line, exit code 2. */
export class AgentUsageError extends Error {
  override name = 'AgentUsageError';
}
