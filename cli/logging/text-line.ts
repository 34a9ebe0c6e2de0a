// The human-readable form of a log line (the default of --log-format): one line of time, level,
// component, message and key=value fields, e.g.
//   2026-12-07T21:40:00.123Z INFO  edge-sync: gateway gw-1 joined node=gw-1
// Values with spaces or quotes are JSON-quoted so that a line splits back into its fields.
import type { LogFields } from '../../api/logger.js';

export interface LogRecord {
  time: string;
  level: string;
  component?: string | undefined;
  msg: string;
  fields: LogFields;
}

function fieldValue(value: string | number | boolean): string {
  const text = String(value);
  return text === '' || /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/** ` key=value` for each defined field, in the order given. */
export function formatFields(fields: LogFields): string {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) out += ` ${key}=${fieldValue(value)}`;
  }
  return out;
}

export function formatTextLine(record: LogRecord): string {
  const who = record.component ? `${record.component}: ` : '';
  return `${record.time} ${record.level.toUpperCase().padEnd(5)} ${who}${record.msg}${formatFields(record.fields)}\n`;
}
