import type { Logger } from '../api/logger.js';
// The gateway agent `flotilla hub` runs next to the hub on the same machine, so one command
// gives a working one-machine fleet: the hub, and this machine as its first gateway. It is the
// ordinary edge agent (managed containerd under DIR/agent, MQTT to the hub's own broker), started
// in this process; `--local-agent off` leaves it out, `auto` (the default) starts it when the
// machine can run containers: root and containerd installed. It needs no bootstrap token: the hub
// binds its node key (DIR/agent/node-key) itself, so it keeps working after DIR/node-token expires.

import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isDNS1123Subdomain } from '../api/validation/name-formats.js';
import type { RunningAgent } from '../edge-agent/agent.js';
import { loadOrCreateNodeKey } from '../edge-agent/hub-link/node-key.js';
import { defaultBeatPort } from '../edge-agent/l2-announce/site-beats.js';
import { findExecutable } from '../edge-agent/runtime/find-executable.js';

export type LocalAgentChoice = 'auto' | 'on' | 'off';

export function parseLocalAgent(value: string): LocalAgentChoice {
  if (value === 'auto' || value === 'on' || value === 'off') return value;
  throw new Error(
    `--local-agent: Unsupported value: ${JSON.stringify(value)}: supported values: "auto", "on", "off"`,
  );
}

/** Why this machine cannot run the local agent, or undefined when it can. */
export function localAgentBlocker(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not running as root (containerd needs it)';
  if (!findExecutable('containerd')) return 'containerd is not installed';
  return undefined;
}

/** This machine's host name as a node name: lower case, DNS-1123, `flotilla-hub` if nothing is left. */
export function localNodeName(host = hostname()): string {
  const name = host
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253);
  return name !== '' && isDNS1123Subdomain(name).length === 0 ? name : 'flotilla-hub';
}

export interface LocalAgentTarget {
  dataDir: string;
  mqttUrl: string;
  /** Binds the local agent's node key to its name; false when the name is another gateway's. */
  bindOwn(node: string, nodeKey: string): Promise<boolean>;
}

export async function startLocalAgent(hub: LocalAgentTarget, log: Logger): Promise<RunningAgent> {
  const { startAgent } = await import('../edge-agent/agent.js');
  const nodeName = localNodeName();
  const dataDir = join(hub.dataDir, 'agent');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!(await hub.bindOwn(nodeName, loadOrCreateNodeKey(dataDir, log)))) {
    throw new Error(`node name ${nodeName} is bound to another gateway's node key`);
  }
  const agent = await startAgent({
    hubUrl: hub.mqttUrl,
    // Same machine, same data dir: the hub's CA is read, not discovered.
    hubCaFile: join(hub.dataDir, 'pki', 'ca.crt'),
    nodeName,
    dataDir,
    runtime: { kind: 'managed' },
    proxyMode: 'iptables',
    lbAnnounce: { port: defaultBeatPort },
    log,
  });
  log.info(`local agent started as node ${nodeName} (data in ${join(hub.dataDir, 'agent')})`);
  return agent;
}
