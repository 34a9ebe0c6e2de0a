#!/usr/bin/env node
// The `flotilla` command: parses flags and hands over to the hub (or, later, the agent).
import { parseArgs } from 'node:util';
import { flotillaVersion, kubernetesMinor } from '../hub/apiserver/version.js';
import { DataDirError } from '../hub/data-dir.js';
import { defaultHubOptions, startHub } from '../hub/main.js';

const usage = `Usage: flotilla <command> [flags]

Commands:
  hub       run the hub: API server, store, controllers
  version   print the version

flotilla hub --data-dir DIR [--bind ADDR] [--api-port N] [--service-cidr CIDR] [--service-node-port-range MIN-MAX]
  --data-dir DIR                   where the store, certificates, tokens and admin.kubeconfig live (required)
  --bind ADDR                      address to listen on (default ${defaultHubOptions.bind})
  --api-port N                     HTTPS port of the Kubernetes API (default ${defaultHubOptions.apiPort}; 0 picks a free port)
  --service-cidr CIDR              ClusterIP range for Services (default ${defaultHubOptions.serviceCIDR})
  --service-node-port-range R      NodePort range (default ${defaultHubOptions.nodePortRange})
`;

class UsageError extends Error {}

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`${flag} must be a port number 0-65535, got ${JSON.stringify(value)}`);
  return n;
}

async function runHub(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      'data-dir': { type: 'string' },
      bind: { type: 'string', default: defaultHubOptions.bind },
      'api-port': { type: 'string', default: String(defaultHubOptions.apiPort) },
      'service-cidr': { type: 'string', default: defaultHubOptions.serviceCIDR },
      'service-node-port-range': { type: 'string', default: defaultHubOptions.nodePortRange },
    },
  });
  const dataDir = values['data-dir'];
  if (!dataDir) throw new UsageError('--data-dir is required');
  // Signal handlers go in before the hub starts: a SIGTERM that arrives while it is starting
  // (or right after it logs its URL) still shuts it down cleanly.
  let stopping = false;
  const starting = startHub({
    dataDir,
    bind: values.bind,
    apiPort: port(values['api-port'], '--api-port'),
    serviceCIDR: values['service-cidr'],
    nodePortRange: values['service-node-port-range'],
  });
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`flotilla hub: ${signal}, shutting down`);
    starting
      .then((hub) => hub.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`flotilla hub: shutdown failed: ${(err as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await starting;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'hub':
      return runHub(rest);
    case 'version':
    case '--version':
      console.log(`flotilla ${flotillaVersion} (Kubernetes API v1.${kubernetesMinor})`);
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const known =
    err instanceof UsageError ||
    err instanceof DataDirError ||
    (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  if (known) {
    console.error(`flotilla: ${(err as Error).message}`);
    if (!(err instanceof DataDirError)) console.error('Run "flotilla --help" for usage.');
    process.exit(2);
  }
  const message =
    (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? `cannot listen: ${(err as Error).message}`
      : (err as Error).message;
  console.error(`flotilla: ${message}`);
  process.exit(1);
});
