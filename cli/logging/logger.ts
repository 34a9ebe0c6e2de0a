// The process's logger, on pino: levels, ISO timestamps, child loggers with the component bound,
// and one JSON object per line. pino writes to a synchronous destination (sonic-boom on fd 1,
// no worker thread: a gateway has little memory, and a line written before process.exit is not
// lost). The human-readable text format renders each of pino's JSON lines (cli/logging/text-line.ts)
// rather than loading pino-pretty and its dependencies into the agent.
import { type Logger as PinoLogger, pino } from 'pino';
import { childComponent, type LogFields, type Logger, type LogLevel } from '../../api/logger.js';
import { formatTextLine } from './text-line.js';

export type LogFormat = 'text' | 'json';

export interface LogSettings {
  format: LogFormat;
  level: LogLevel;
}

export interface LineSink {
  write(line: string): unknown;
}

/** One of pino's JSON lines as a text line. */
export function textOf(jsonLine: string): string {
  const { time, level, component, msg, ...fields } = JSON.parse(jsonLine) as Record<string, unknown>;
  return formatTextLine({
    time: String(time),
    level: String(level),
    component: component === undefined ? undefined : String(component),
    msg: String(msg ?? ''),
    fields: fields as LogFields,
  });
}

/** The process's root logger; its lines go to `sink` (default: standard output, synchronously). */
export function createLogger(settings: LogSettings, sink?: LineSink): Logger {
  const out = sink ?? pino.destination({ dest: 1, sync: true });
  const stream = settings.format === 'json' ? out : { write: (line: string) => out.write(textOf(line)) };
  const root = pino(
    {
      level: settings.level,
      // No pid and hostname on every line: one process per machine, and the journal has both.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  return wrap(root, root, undefined);
}

function wrap(root: PinoLogger, log: PinoLogger, component: string | undefined): Logger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: LogFields): void => {
      if (fields) log[level](fields, message);
      else log[level](message);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    // From the root each time: pino appends bindings, and a nested child would repeat the key.
    child: (name) => {
      const full = childComponent(component, name);
      return wrap(root, root.child({ component: full }), full);
    },
  };
}
