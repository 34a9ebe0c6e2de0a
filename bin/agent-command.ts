// `flotilla agent`, on its own: what a gateway runs loads the agent and nothing else of the
// command line (the hub, the token and kubeconfig tools and their dependencies: about 1,100
// modules the agent's process loaded and never used).
import { AgentUsageError, runAgent } from '../edge-agent/main.js';
import { exitOnFailure } from './exit-on-failure.js';
import { listenForMetrics } from './metrics-listener.js';

export function runAgentCommand(args: string[]): Promise<void> {
  return runAgent(args, listenForMetrics).catch((err: unknown) => {
    if (err instanceof AgentUsageError) {
      console.error(`flotilla agent: ${err.message}`);
      process.exit(2);
    }
    exitOnFailure(err, false);
  });
}
