#!/usr/bin/env node
// The `flotilla` command. Each command's code is loaded only when that command runs, so that an
// agent on a gateway with little memory never loads the hub (bin/agent-command.ts).
const [command, ...rest] = process.argv.slice(2);
if (command === 'agent') {
  const { runAgentCommand } = await import('./agent-command.js');
  await runAgentCommand(rest);
} else {
  const { runCommand } = await import('./commands.js');
  await runCommand(process.argv.slice(2));
}
