// A real hub started in this process on a free port, with an API client bound to it.
import { readFileSync, rmSync } from 'node:fs';
import { type Logger, silentLogger } from '../../api/logger.js';
import { type RunningAgent, startAgent } from '../../edge-agent/agent.js';
import type { FakeRuntime } from '../../edge-agent/runtime/fake-runtime.js';
import type { ApiServerLimits } from '../../hub/apiserver/http/request-limits.js';
import { namespaceDefaultControllers } from '../../hub/controllers/controller-manager.js';
import { type Hub, startHub } from '../../hub/main.js';
import type { SparkplugConfig } from '../../hub/sparkplug/start-sparkplug.js';
import { ApiClient } from './api-client.js';
import { tempDir } from './hub-process.js';

export interface TestHub {
  hub: Hub;
  api: ApiClient;
  dataDir: string;
  /** When this hub began to start (for a restarted one: after the old one had stopped). */
  startedAt: number;
  /** Stops the hub and starts a new one on the same data dir. */
  restart(): Promise<TestHub>;
  close(): Promise<void>;
}

export interface TestHubOptions {
  /** Receives the hub's log lines (default: dropped). */
  log?: Logger;
  /** MQTT over WebSocket over TLS (wss). */
  mqttWsPort?: number;
  /** TLS port of the embedded broker (default 0: a free one). A fixed port survives restart(). */
  mqttPort?: number;
  /** Plain MQTT (`--mqtt-insecure-port`): only tests about plain MQTT ask for it. */
  mqttInsecurePort?: number;
  /**
   * Controllers to run, by name (default: only the namespace controller, so integration tests
   * can drive the controllers they test themselves; the ServiceAccount and CA bundle ones always
   * run); 'all' runs the hub's full set.
   */
  controllers?: string[] | 'all';
  /** API server in-flight limits and timeouts (default: the hub's). */
  apiLimits?: Partial<ApiServerLimits>;
  /** The Sparkplug B bridge (off by default). */
  sparkplug?: SparkplugConfig;
}

export async function startTestHub(dataDir = tempDir('it'), options: TestHubOptions = {}): Promise<TestHub> {
  const startedAt = Date.now();
  const hub = await startHub({
    dataDir,
    bind: '127.0.0.1',
    apiPort: 0,
    serviceCIDR: '10.43.0.0/16',
    nodePortRange: '30000-32767',
    mqttPort: options.mqttPort ?? 0,
    mqttWsPort: options.mqttWsPort,
    mqttInsecurePort: options.mqttInsecurePort,
    syncCoalesceMs: 20,
    // Pods need their namespace's default ServiceAccount and CA bundle: those controllers always run.
    controllers: {
      only:
        options.controllers === 'all'
          ? undefined
          : [...(options.controllers ?? ['namespace']), ...namespaceDefaultControllers],
    },
    log: options.log ?? silentLogger,
    ...(options.apiLimits ? { apiLimits: options.apiLimits } : {}),
    ...(options.sparkplug ? { sparkplug: options.sparkplug } : {}),
  });
  const api = new ApiClient(hub.apiUrl, hub.caPem, hub.adminToken);
  return {
    hub,
    api,
    dataDir,
    startedAt,
    restart: async () => {
      await hub.stop();
      return startTestHub(dataDir, options);
    },
    close: async () => {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A gateway of this hub (in this process, or a hub process: its broker URL and data dir) on a fake
 * runtime, in this process, with fast heartbeats and retries.
 */
export function startFakeGateway(
  t: TestHub | { mqttUrl: string; dataDir: string },
  nodeName: string,
  runtime: FakeRuntime,
  dataDir: string,
): Promise<RunningAgent> {
  return startAgent({
    hubUrl: 'hub' in t ? t.hub.mqtt.mqttUrl : t.mqttUrl,
    token: readFileSync(`${t.dataDir}/node-token`, 'utf8').trim(),
    nodeName,
    dataDir,
    runtime: { kind: 'instance', runtime },
    timing: { heartbeatMs: 200, statusCheckMs: 500, reconnect: { initialMs: 100, maxMs: 400, jitter: 0 } },
    log: silentLogger,
  });
}
