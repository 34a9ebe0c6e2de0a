// A Logger for tests: keeps each line as `component: message key=value` (the text format without
// time and level), so tests read what an operator reads.
import { childComponent, type LogFields, type Logger } from '../../api/logger.js';
import { formatFields } from '../../cli/logging/text-line.js';

export interface CapturedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  component: string | undefined;
  message: string;
  fields: LogFields;
}

/**
 * Appends each line's text to `lines` (or hands it to a function); `records`, when given, gets
 * the lines with their levels.
 */
export function captureLogger(
  lines: string[] | ((line: string) => void) = [],
  records?: CapturedLine[],
  component?: string,
): Logger {
  const keep = typeof lines === 'function' ? lines : (line: string) => void lines.push(line);
  const at =
    (level: CapturedLine['level']) =>
    (message: string, fields: LogFields = {}): void => {
      keep(`${component ? `${component}: ` : ''}${message}${formatFields(fields)}`);
      records?.push({ level, component, message, fields });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (name) => captureLogger(lines, records, childComponent(component, name)),
  };
}
