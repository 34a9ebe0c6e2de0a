// Watches the process the in-process hub runs in: an uncaught exception or unhandled rejection
// is a crash of the hub; console.error lines are the API server's unexpected errors (the ones
// that become 500s); an Object.prototype property is prototype pollution by some payload.
export class CrashWatch {
  readonly crashes: string[] = [];
  readonly errorLines: string[] = [];
  private readonly originalError = console.error;
  private readonly onException = (err: unknown) => this.crashes.push(`uncaught exception: ${describe(err)}`);
  private readonly onRejection = (err: unknown) => this.crashes.push(`unhandled rejection: ${describe(err)}`);

  start(): void {
    process.on('uncaughtException', this.onException);
    process.on('unhandledRejection', this.onRejection);
    console.error = (...args: unknown[]) => {
      this.errorLines.push(args.map(describe).join(' ').slice(0, 1000));
    };
  }

  stop(): void {
    process.off('uncaughtException', this.onException);
    process.off('unhandledRejection', this.onRejection);
    console.error = this.originalError;
  }

  /** Properties some payload managed to put on Object.prototype. */
  pollution(): string[] {
    return Object.getOwnPropertyNames(Object.prototype).filter((name) => !builtinPrototypeNames.has(name));
  }
}

const builtinPrototypeNames = new Set(Object.getOwnPropertyNames(Object.prototype));

function describe(value: unknown): string {
  return value instanceof Error
    ? (value.stack ?? value.message)
    : typeof value === 'string'
      ? value
      : String(value);
}
