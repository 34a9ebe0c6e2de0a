// `flotilla hub --sparkplug-*`: the Sparkplug B bridge's configuration from its flags, each
// checked with an error naming the flag. Off unless --sparkplug-group is given; the broker
// flags only with --sparkplug-broker (without it the edge nodes publish to the embedded broker).
import { readFileSync } from 'node:fs';
import { idProblem } from '../api/sparkplug/topics.js';
import { invalidFlagValue, UsageError } from '../api/usage-error.js';
import type { SparkplugConfig } from '../hub/sparkplug/start-sparkplug.js';

export const sparkplugFlagOptions = {
  'sparkplug-group': { type: 'string' },
  'sparkplug-host-id': { type: 'string' },
  'sparkplug-broker': { type: 'string' },
  'sparkplug-username': { type: 'string' },
  'sparkplug-password-file': { type: 'string' },
  'sparkplug-ca-file': { type: 'string' },
  'sparkplug-cert-file': { type: 'string' },
  'sparkplug-key-file': { type: 'string' },
} as const;

export type SparkplugFlags = { [K in keyof typeof sparkplugFlagOptions]?: string | undefined };

export const sparkplugUsage = `  --sparkplug-group G              publish the fleet as Sparkplug B edge nodes and devices in group G (default: off)
  --sparkplug-host-id H            the primary host application's id: births only while its STATE says online
  --sparkplug-broker URL           a plant broker (mqtt://, mqtts://, ws://, wss://) instead of the embedded one
  --sparkplug-username NAME, --sparkplug-password-file FILE
                                   the plant broker's login (the password read from FILE)
  --sparkplug-ca-file FILE         CA certificate (PEM) the plant broker's certificate is checked with
  --sparkplug-cert-file FILE, --sparkplug-key-file FILE
                                   client certificate and key (PEM), for brokers that ask for one
`;

function readFlagFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

function checkedId(flag: string, value: string): string {
  const problem = idProblem(value);
  if (problem) throw invalidFlagValue(`--${flag}`, value, problem);
  return value;
}

function checkedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidFlagValue('--sparkplug-broker', value, 'not a URL');
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(url.protocol) || !url.hostname)
    throw invalidFlagValue(
      '--sparkplug-broker',
      value,
      'must be mqtt://, mqtts://, ws:// or wss:// with a host',
    );
  return value;
}

export function parseSparkplugFlags(flags: SparkplugFlags): SparkplugConfig | undefined {
  const given = (Object.keys(sparkplugFlagOptions) as (keyof SparkplugFlags)[]).filter(
    (flag) => flags[flag] !== undefined,
  );
  if (flags['sparkplug-group'] === undefined) {
    if (given.length > 0) throw new UsageError(`--${given[0]} needs --sparkplug-group`);
    return undefined;
  }
  const group = checkedId('sparkplug-group', flags['sparkplug-group']);
  const hostId =
    flags['sparkplug-host-id'] === undefined
      ? undefined
      : checkedId('sparkplug-host-id', flags['sparkplug-host-id']);
  const brokerFlags = given.filter(
    (f) => f !== 'sparkplug-group' && f !== 'sparkplug-host-id' && f !== 'sparkplug-broker',
  );
  if (flags['sparkplug-broker'] === undefined) {
    if (brokerFlags.length > 0)
      throw new UsageError(
        `--${brokerFlags[0]} needs --sparkplug-broker (the embedded broker needs no login)`,
      );
    return { group, hostId };
  }
  const url = checkedUrl(flags['sparkplug-broker']);
  if ((flags['sparkplug-cert-file'] === undefined) !== (flags['sparkplug-key-file'] === undefined))
    throw new UsageError('--sparkplug-cert-file and --sparkplug-key-file go together');
  if (flags['sparkplug-password-file'] !== undefined && flags['sparkplug-username'] === undefined)
    throw new UsageError('--sparkplug-password-file needs --sparkplug-username');
  const file = (flag: keyof SparkplugFlags) =>
    flags[flag] === undefined ? undefined : readFlagFile(flag, flags[flag] as string);
  const password = file('sparkplug-password-file')?.replace(/\r?\n$/, '');
  return {
    group,
    hostId,
    broker: {
      url,
      username: flags['sparkplug-username'],
      password,
      caPem: file('sparkplug-ca-file'),
      certPem: file('sparkplug-cert-file'),
      keyPem: file('sparkplug-key-file'),
    },
  };
}
