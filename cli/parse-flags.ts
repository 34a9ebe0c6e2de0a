// Every command reads its flags with node:util's parseArgs, strictly: what parseArgs refuses (an
// unknown flag, a flag without its value, a stray argument) is that command's usage error, so it
// exits 2 with one line naming the flag, whichever command it was.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { asUsageError } from '../api/usage-error.js';

export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  return asUsageError(() => parseArgs<T>({ strict: true, ...config }));
}
