// --log-format and --log-level, shared by `flotilla hub` and `flotilla agent`.
import { type LogLevel, logLevels } from '../../api/logger.js';
import { UsageError } from '../../api/usage-error.js';
import type { LogFormat, LogSettings } from './logger.js';

const logFormats: readonly LogFormat[] = ['text', 'json'];

export const logFlagOptions = {
  'log-format': { type: 'string', default: 'text' },
  'log-level': { type: 'string', default: 'info' },
} as const;

export const logFlagsUsage = `  --log-format text|json           text: one readable line per entry (time, level, component, message,
                                   key=value fields); json: one JSON object per line (default text)
  --log-level LEVEL                the least severe lines written: debug, info, warn or error (default info)`;

function oneOf<T extends string>(flag: string, allowed: readonly T[], value: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined)
    throw new UsageError(
      `${flag}: Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
    );
  return found;
}

export function parseLogFlags(values: { 'log-format'?: string; 'log-level'?: string }): LogSettings {
  return {
    format: oneOf('--log-format', logFormats, values['log-format'] ?? 'text'),
    level: oneOf<LogLevel>('--log-level', logLevels, values['log-level'] ?? 'info'),
  };
}
