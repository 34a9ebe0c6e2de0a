// `flotilla hub`: flags in, a running hub out (with this machine as its first gateway when it can
// run containers), stopped on SIGTERM/SIGINT. Flags are checked here, at the boundary.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseMetricsBind } from '../api/metrics-bind.js';
import { asUsageError, invalidFlagValue, UsageError } from '../api/usage-error.js';
import { isDNS1123Subdomain } from '../api/validation/name-formats.js';
import { defaultApiServerLimits } from '../hub/apiserver/http/request-limits.js';
import { cloudProviderNames } from '../hub/cloud/cloud-provider.js';
import { parseEventTTL } from '../hub/controllers/events/event-ttl.js';
import { defaultHubOptions, startHub } from '../hub/main.js';
import { defaultAgentMetricsBind } from './agent-command.js';
import { parseDuration } from './duration.js';
import { followLauncher, relaunchWithHubFlags, shouldRelaunch } from './hub-heap.js';
import { type LocalAgentChoice, localAgentBlocker, parseLocalAgent, startLocalAgent } from './local-agent.js';
import { logFlagOptions, logFlagsUsage, parseLogFlags } from './logging/log-flags.js';
import { createLogger } from './logging/logger.js';
import { listenForMetrics } from './metrics-listener.js';
import { parseFlags } from './parse-flags.js';
import { stopOnSignals } from './shutdown.js';
import { parseSparkplugFlags, sparkplugFlagOptions, sparkplugUsage } from './sparkplug-flags.js';

export const hubUsage = `flotilla hub --data-dir DIR [--bind ADDR] [--tls-san NAME,...] [--api-port N]
             [--mqtt-port N] [--mqtt-ws-port N] [--mqtt-insecure-port N]
             [--service-cidr CIDR] [--service-node-port-range MIN-MAX] [--cluster-cidr CIDR]
             [--node-monitor-grace-period DURATION] [--node-startup-grace-period DURATION]
             [--event-ttl DURATION] [--local-agent auto|on|off] [--cloud-provider site|none]
             [--max-requests-inflight N] [--max-mutating-requests-inflight N]
             [--sparkplug-group G [--sparkplug-host-id H] [--sparkplug-broker URL ...]]
             [--metrics-bind 127.0.0.1:PORT] [--log-format text|json] [--log-level LEVEL]
  --data-dir DIR                   where the store, certificates, tokens and admin.kubeconfig live (required)
  --bind ADDR                      address to listen on (default ${defaultHubOptions.bind})
  --tls-san NAME,...               more DNS names or IPs the hub's certificates cover (how gateways
                                   reach it through DNS or NAT); this machine's names and addresses are in
  --api-port N                     HTTPS port of the Kubernetes API (default ${defaultHubOptions.apiPort}; 0 picks a free port)
  --mqtt-port N                    MQTT over TLS, for gateways and dashboards (default ${defaultHubOptions.mqttPort})
  --mqtt-ws-port N                 MQTT over WebSocket over TLS (wss), for browser dashboards (default: off)
  --mqtt-insecure-port N           also plain MQTT without TLS on this port: join token and Secrets
                                   in clear; only for trusted networks (default: off)
  --service-cidr CIDR              ClusterIP range for Services (default ${defaultHubOptions.serviceCIDR})
  --service-node-port-range R      NodePort range (default ${defaultHubOptions.nodePortRange})
  --cluster-cidr CIDR              pod CIDR, one /24 per gateway (default ${defaultHubOptions.clusterCIDR})
  --node-monitor-grace-period D    silence before a gateway is marked Unknown, e.g. 40s, 2m (default ${defaultHubOptions.nodeMonitorGracePeriodSeconds}s)
  --node-startup-grace-period D    the same for a gateway not heard from since the hub started (while
                                   the fleet reconnects) or since it joined (default ${defaultHubOptions.nodeStartupGracePeriodSeconds}s)
  --event-ttl D                    how long Events are kept after their last write, e.g. 1h, 30m (default ${defaultHubOptions.eventTTL})
  --cloud-provider site|none       the cloud controller manager's provider: site reads the site inventory
                                   (Site objects: topology labels, decommissioned gateways, LoadBalancer
                                   addresses); none runs no cloud controllers (default site)
  --local-agent auto|on|off        also run this machine as a gateway (agent data in DIR/agent); auto:
                                   when running as root with containerd installed (default auto)
  --max-requests-inflight N        read-only API requests served at once, more get 429 (default ${defaultApiServerLimits.maxRequestsInflight}; 0: no limit)
  --max-mutating-requests-inflight N
                                   mutating API requests served at once (default ${defaultApiServerLimits.maxMutatingRequestsInflight}; 0: no limit)
${sparkplugUsage}
  --metrics-bind ADDR:PORT         also serve Prometheus /metrics without authentication on this loopback
                                   address (default: off; /metrics on the API port needs a token)
${logFlagsUsage}`;

/** A count such as an in-flight limit: a non-negative integer. */
function count(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`${flag} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`${flag} must be a port number 0-65535, got ${JSON.stringify(value)}`);
  return n;
}

/** `--tls-san a,b`: DNS names (RFC 1123) or IP addresses. */
function tlsSans(value: string | undefined): string[] {
  if (value === undefined) return [];
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  for (const name of names) {
    if (isIP(name) === 0 && isDNS1123Subdomain(name.toLowerCase()).length > 0)
      throw invalidFlagValue('--tls-san', name, 'must be a DNS name or an IP address');
  }
  return names;
}

function parseHubArgs(args: string[]) {
  return parseFlags({
    args,
    allowPositionals: false,
    options: {
      'data-dir': { type: 'string' },
      bind: { type: 'string', default: defaultHubOptions.bind },
      'api-port': { type: 'string', default: String(defaultHubOptions.apiPort) },
      'service-cidr': { type: 'string', default: defaultHubOptions.serviceCIDR },
      'service-node-port-range': { type: 'string', default: defaultHubOptions.nodePortRange },
      'mqtt-port': { type: 'string', default: String(defaultHubOptions.mqttPort) },
      'mqtt-ws-port': { type: 'string' },
      'mqtt-insecure-port': { type: 'string' },
      'tls-san': { type: 'string' },
      'cluster-cidr': { type: 'string', default: defaultHubOptions.clusterCIDR },
      'node-monitor-grace-period': {
        type: 'string',
        default: `${defaultHubOptions.nodeMonitorGracePeriodSeconds}s`,
      },
      'node-startup-grace-period': {
        type: 'string',
        default: `${defaultHubOptions.nodeStartupGracePeriodSeconds}s`,
      },
      'event-ttl': { type: 'string', default: defaultHubOptions.eventTTL },
      'local-agent': { type: 'string', default: 'auto' },
      'cloud-provider': { type: 'string', default: 'site' },
      'max-requests-inflight': {
        type: 'string',
        default: String(defaultApiServerLimits.maxRequestsInflight),
      },
      'max-mutating-requests-inflight': {
        type: 'string',
        default: String(defaultApiServerLimits.maxMutatingRequestsInflight),
      },
      ...sparkplugFlagOptions,
      'metrics-bind': { type: 'string', default: 'off' },
      ...logFlagOptions,
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Runs the hub until SIGTERM or SIGINT. */
export async function runHub(args: string[]): Promise<void> {
  const { values } = asUsageError(() => parseHubArgs(args));
  if (values.help) {
    process.stdout.write(`Usage: ${hubUsage}\n`);
    return;
  }
  const logging = parseLogFlags(values);
  if (shouldRelaunch()) return relaunchWithHubFlags();
  followLauncher();
  const root = createLogger(logging);
  const log = root.child('hub');
  // Resolved once, here: everything the hub and its local agent derive from it (socket URLs
  // above all) must be absolute.
  if (!values['data-dir']) throw new UsageError('--data-dir is required');
  const dataDir = resolve(values['data-dir']);
  const localAgent = localAgentWanted(values['local-agent']);
  const sparkplug = parseSparkplugFlags(values);
  const cloudProvider = cloudProviderNames.find((name) => name === values['cloud-provider']);
  if (!cloudProvider)
    throw new UsageError(
      `--cloud-provider must be one of ${cloudProviderNames.join(', ')}, got ${JSON.stringify(values['cloud-provider'])}`,
    );
  const apiLimits = {
    maxRequestsInflight: count(values['max-requests-inflight'], '--max-requests-inflight'),
    maxMutatingRequestsInflight: count(
      values['max-mutating-requests-inflight'],
      '--max-mutating-requests-inflight',
    ),
  };
  const metricsBind = asUsageError(() =>
    parseMetricsBind(values['metrics-bind'], '--metrics-bind', { loopbackOnly: true }),
  );
  const starting = startHub({
    dataDir,
    bind: values.bind,
    apiPort: port(values['api-port'], '--api-port'),
    serviceCIDR: values['service-cidr'],
    nodePortRange: values['service-node-port-range'],
    mqttPort: port(values['mqtt-port'], '--mqtt-port'),
    mqttWsPort:
      values['mqtt-ws-port'] === undefined ? undefined : port(values['mqtt-ws-port'], '--mqtt-ws-port'),
    mqttInsecurePort:
      values['mqtt-insecure-port'] === undefined
        ? undefined
        : port(values['mqtt-insecure-port'], '--mqtt-insecure-port'),
    tlsSans: tlsSans(values['tls-san']),
    controllers: {
      clusterCIDR: values['cluster-cidr'],
      nodeMonitorGracePeriodMs: parseDuration(
        values['node-monitor-grace-period'],
        '--node-monitor-grace-period',
      ),
      nodeStartupGracePeriodMs: parseDuration(
        values['node-startup-grace-period'],
        '--node-startup-grace-period',
      ),
      eventTTLMs: asUsageError(() => parseEventTTL(values['event-ttl'])),
      cloudProvider,
    },
    apiLimits,
    sparkplug,
    log: root,
  });
  const withAgent = starting.then(async (hub) => {
    if (metricsBind) {
      const listener = await listenForMetrics(metricsBind, () => hub.metrics.exposition());
      log.info(`Prometheus metrics on http://${metricsBind.host}:${listener.port}/metrics`);
    }
    if (localAgent !== true) {
      if (localAgent) log.info(`no local agent: ${localAgent} (--local-agent off hides this)`);
      return { hub, agent: undefined };
    }
    // A gateway that cannot start must not take the hub down with it.
    const target = {
      dataDir,
      mqttUrl: hub.mqtt.mqttUrl,
      bindOwn: (node: string, key: string) => hub.mqtt.credentials.bindOwn(node, key),
    };
    const agent = await startLocalAgent(target, root.child('local-agent')).catch((err: Error) => {
      log.error(`local agent not started: ${err.message}`);
      return undefined;
    });
    const metrics = agent?.metrics;
    if (metrics) {
      // The local gateway's metrics where any agent's are (a port already taken is only logged).
      const bind = parseMetricsBind(defaultAgentMetricsBind, '--metrics-bind');
      if (bind) {
        await listenForMetrics(bind, () => metrics.exposition()).then(
          ({ port }) => log.info(`local agent's metrics on http://${bind.host}:${port}/metrics`),
          (err: Error) => log.warn(`local agent's metrics not served: ${err.message}`),
        );
      }
    }
    return { hub, agent };
  });
  stopOnSignals({
    log,
    doing: 'shutting down',
    // The local agent goes first, as a gateway would: its pods keep running.
    stop: () =>
      withAgent.then(async ({ hub, agent }) => {
        await agent?.stop();
        await hub.stop();
      }),
  });
  await withAgent;
}

/** True to start the local agent; with `auto`, why not (a reason) when this machine cannot. */
function localAgentWanted(value: string): boolean | string {
  let choice: LocalAgentChoice;
  try {
    choice = parseLocalAgent(value);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (choice === 'off') return false;
  const blocker = localAgentBlocker();
  if (choice === 'on' && blocker)
    throw new UsageError(`--local-agent on: cannot run a gateway here: ${blocker}`);
  return blocker ?? true;
}
