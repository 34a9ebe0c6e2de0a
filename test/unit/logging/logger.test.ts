import assert from 'node:assert/strict';
import { UsageError } from '../../../api/usage-error.js';
import { parseLogFlags } from '../../../cli/logging/log-flags.js';
import { createLogger, type LogSettings } from '../../../cli/logging/logger.js';
import { formatTextLine } from '../../../cli/logging/text-line.js';

/** The lines a logger with these settings writes. */
function written(settings: LogSettings, use: (log: ReturnType<typeof createLogger>) => void): string[] {
  let out = '';
  const sink = {
    write: (line: string) => {
      out += line;
    },
  };
  use(createLogger(settings, sink));
  return out.split('\n').filter((line) => line !== '');
}

const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('the process logger', () => {
  it('writes one readable text line: time, level, component, message, key=value fields', () => {
    const [line, ...rest] = written({ format: 'text', level: 'info' }, (log) =>
      log.child('edge-sync').info('gateway gw-1 offline: MQTT session dropped', { node: 'gw-1', pods: 3 }),
    );
    assert.deepEqual(rest, []);
    const [time, ...words] = line!.split(' ');
    assert.match(time!, isoTime);
    assert.equal(
      words.join(' '),
      'INFO  edge-sync: gateway gw-1 offline: MQTT session dropped node=gw-1 pods=3',
    );
  });

  it('names nested components with a slash and quotes field values with spaces', () => {
    const [line] = written({ format: 'text', level: 'info' }, (log) =>
      log.child('controller-manager').child('job').warn('retrying', { why: 'store "busy" now', empty: '' }),
    );
    assert.match(line!, / WARN {2}controller-manager\/job: retrying why="store \\"busy\\" now" empty=""$/);
  });

  it('writes one JSON object per line with level, time, component, message and fields', () => {
    const lines = written({ format: 'json', level: 'info' }, (log) => {
      log.child('broker').info('listening', { port: 8883 });
      log.error('no component');
    });
    const [first, second] = lines.map((line) => JSON.parse(line));
    assert.equal(lines.length, 2);
    assert.match(first.time, isoTime);
    assert.deepEqual(
      { ...first, time: undefined },
      { level: 'info', time: undefined, component: 'broker', port: 8883, msg: 'listening' },
    );
    assert.deepEqual(
      { ...second, time: undefined },
      { level: 'error', time: undefined, msg: 'no component' },
    );
  });

  it('writes only lines at or above the level asked for', () => {
    const all = (log: ReturnType<typeof createLogger>) => {
      const part = log.child('dns');
      part.debug('d');
      part.info('i');
      part.warn('w');
      part.error('e');
    };
    const levels = (level: LogSettings['level']) =>
      written({ format: 'json', level }, all).map((line) => JSON.parse(line).msg);
    assert.deepEqual(levels('debug'), ['d', 'i', 'w', 'e']);
    assert.deepEqual(levels('info'), ['i', 'w', 'e']);
    assert.deepEqual(levels('warn'), ['w', 'e']);
    assert.deepEqual(levels('error'), ['e']);
  });

  it('formats a line without a component as time, level and message', () => {
    assert.equal(
      formatTextLine({ time: 'T', level: 'debug', msg: 'hello', fields: { a: 1, b: undefined } }),
      'T DEBUG hello a=1\n',
    );
  });
});

describe('--log-format and --log-level', () => {
  it('default to text and info', () => {
    assert.deepEqual(parseLogFlags({}), { format: 'text', level: 'info' });
    assert.deepEqual(parseLogFlags({ 'log-format': 'json', 'log-level': 'debug' }), {
      format: 'json',
      level: 'debug',
    });
  });

  it('refuse other values with a usage error naming the flag and the values it takes', () => {
    assert.throws(
      () => parseLogFlags({ 'log-format': 'yaml' }),
      (err: Error) =>
        err instanceof UsageError &&
        err.message === '--log-format: Unsupported value: "yaml": supported values: "text", "json"',
    );
    assert.throws(
      () => parseLogFlags({ 'log-level': 'verbose' }),
      (err: Error) =>
        err instanceof UsageError &&
        err.message ===
          '--log-level: Unsupported value: "verbose": supported values: "debug", "info", "warn", "error"',
    );
  });
});
