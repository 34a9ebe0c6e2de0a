#!/usr/bin/env node
// The `flotilla` command: hands its arguments to one command of this directory. Each command is
// loaded only when asked for, so `flotilla agent` never loads the hub (nor the hub the agent,
// unless it runs this machine as a gateway). Every bad command line ends here: one line naming the
// flag, exit code 2.
import { UsageError } from '../api/usage-error.js';

const commands = `Usage: flotilla <command> [flags]

Commands:
  hub         run the hub: API server, store, controllers
  agent       run the edge agent of one gateway
  token       create, list and delete the bootstrap tokens new gateways join with
  kubeconfig  write a kubeconfig with a client certificate for a new user of the API
  version     print the version

\`flotilla <command> --help\` prints the flags of one command.
`;

async function fullUsage(): Promise<string> {
  const [{ hubUsage }, { agentUsage }, { tokenUsage }, { kubeconfigUsage }] = await Promise.all([
    import('./hub-command.js'),
    import('./agent-command.js'),
    import('./token-command.js'),
    import('./kubeconfig-command.js'),
  ]);
  return `${commands}\n${hubUsage}\n\n${agentUsage}\n${tokenUsage}\n${kubeconfigUsage}`;
}

async function main(command: string | undefined, args: string[]): Promise<void> {
  switch (command) {
    case 'hub':
      return (await import('./hub-command.js')).runHub(args);
    case 'agent': {
      const { runAgent } = await import('./agent-command.js');
      const { listenForMetrics } = await import('./metrics-listener.js');
      return runAgent(args, listenForMetrics);
    }
    case 'token':
      return (await import('./token-command.js')).runTokenCommand(args);
    case 'kubeconfig':
      return (await import('./kubeconfig-command.js')).runKubeconfigCommand(args);
    case 'version':
    case '--version': {
      const { flotillaVersion, kubernetesMinor } = await import('../hub/apiserver/version.js');
      process.stdout.write(`flotilla ${flotillaVersion} (Kubernetes API v1.${kubernetesMinor})\n`);
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(await fullUsage());
      return;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

/** How a failure ends the process: a usage error or a data dir in use is the caller's to fix (2). */
function exitOn(command: string | undefined, err: unknown): never {
  const usage =
    err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
  if (usage && command === 'agent') {
    process.stderr.write(`flotilla agent: ${(err as Error).message}\n`);
    process.exit(2);
  }
  if (usage) {
    process.stderr.write(`flotilla: ${(err as Error).message}\nRun "flotilla --help" for usage.\n`);
    process.exit(2);
  }
  if ((err as Error).name === 'DataDirError') {
    process.stderr.write(`flotilla: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const message =
    (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? `cannot listen: ${(err as Error).message}`
      : (err as Error).message;
  process.stderr.write(`flotilla: ${message}\n`);
  process.exit(1);
}

const [command, ...args] = process.argv.slice(2);
main(command, args).catch((err: unknown) => exitOn(command, err));
