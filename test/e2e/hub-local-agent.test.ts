// The README's one command: `flotilla hub` on a machine with containerd also runs the machine as
// its first gateway (the local agent, managed containerd under DIR/agent).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { localNodeName } from '../../cli/local-agent.js';
import { processesWithArg } from '../../edge-agent/runtime/host-processes.js';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl } from '../helpers/kubectl.js';
import { skipUnlessRuntimeHost } from '../helpers/test-gateway-runtime.js';

describe('flotilla hub with its local agent', function () {
  this.timeout(60_000);
  let hub: HubProcess | undefined;

  before(function () {
    skipUnlessRuntimeHost(this);
  });

  after(async () => {
    if (hub && hub.child.exitCode === null) await hub.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it('registers this machine as a Ready node, and stops its containerd on SIGTERM', async () => {
    hub = await startHubProcess(undefined, ['--local-agent', 'on']);
    const kubectl = new Kubectl(hub.kubeconfig);
    const node = localNodeName();
    await eventually(
      async () => {
        const res = await kubectl.run(['get', 'node', node, '-o', 'json']);
        if (res.code !== 0) return false;
        const ready = JSON.parse(res.stdout).status.conditions.find((c: any) => c.type === 'Ready');
        return ready?.status === 'True';
      },
      { timeoutMs: 40_000, intervalMs: 500 },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${hub!.output()}`);
    });
    const config = join(hub.dataDir, 'agent', 'containerd', 'config.toml');
    assert.equal(processesWithArg('--config', config).length, 1, 'the agent runs its own containerd');
    assert.match(hub.output(), new RegExp(`local agent started as node ${node}`));
    assert.equal(await hub.stop(), 0);
    assert.equal(processesWithArg('--config', config).length, 0, 'its containerd stopped with it');
  });
});
