// `flotilla agent`: flags in, a running agent out, stopped on SIGTERM/SIGINT. Flags are checked
// here, at the boundary, with field-naming messages; the agent itself is loaded only once they
// pass (so `flotilla hub` does not load the agent's runtime clients, and bad flags fail fast).
// Paths are resolved against the current directory here, once: nothing past this point sees a
// relative path.

import { resolve } from 'node:path';
import { type MetricsBind, parseMetricsBind } from '../api/metrics-bind.js';
import { parseJoinString } from '../api/mqtt/join-string.js';
import { invalidFlagValue, UsageError } from '../api/usage-error.js';
import { isDNS1123Subdomain } from '../api/validation/name-formats.js';
import type { AgentOptions } from '../edge-agent/agent-options.js';
import { dnsFlagsUsage, parseDnsFlags } from '../edge-agent/dns/dns-flags.js';
import { trustPlan } from '../edge-agent/hub-link/hub-trust.js';
import { defaultBeatPort } from '../edge-agent/l2-announce/site-beats.js';
import { parseNodeLabels, parseTaints } from '../edge-agent/node-status/node-flags.js';
import { parseProxyMode } from '../edge-agent/proxy/proxy-mode.js';
import { normalizeImageRef } from '../edge-agent/runtime/image-ref.js';
import { builtinPauseRef } from '../edge-agent/runtime/images/builtin-pause-image.js';
import type { RuntimeChoice } from '../edge-agent/runtime/open-runtime.js';
import { parseRuntimeEndpoint } from '../edge-agent/runtime/runtime-endpoint.js';
import { upstreamPauseImage } from '../edge-agent/runtime/sandbox-image.js';
import { cleanupRulesUsage, runCleanupRules } from './cleanup-rules-command.js';
import { imageImportUsage, runImageImport } from './image-import-command.js';
import { imagePackUsage, runImagePack } from './image-pack-command.js';
import { logFlagOptions, logFlagsUsage, parseLogFlags } from './logging/log-flags.js';
import { createLogger, type LogSettings } from './logging/logger.js';
import { parseFlags } from './parse-flags.js';
import { stopOnSignals } from './shutdown.js';

/** Where the agent serves /metrics unless told otherwise: loopback, as kube-proxy's 127.0.0.1:10249. */
export const defaultAgentMetricsBind = '127.0.0.1:9180';

export const agentUsage = `flotilla agent --hub URL [--token JOIN_STRING] --node-name NAME --data-dir DIR
               [--hub-ca-file FILE | --hub-insecure-plaintext]
               [--runtime-endpoint unix:///PATH | --runtime fake] [--pause-image REF]
               [--cni-conf-dir DIR] [--pod-routes on|off]
               [--cluster-domain DOMAIN] [--cluster-dns ADDR|none] [--resolv-conf PATH]
               [--proxy-mode iptables|nftables|none] [--lb-announce-port N|off] [--api-relay-port PORT|off]
               [--node-labels k=v,...] [--register-with-taints key=value:Effect,...]
               [--metrics-bind ADDR:PORT|off] [--log-format text|json] [--log-level LEVEL]
  --hub URL                        the hub's MQTT broker over TLS, e.g. mqtts://hub.example:8883 (required)
  --token JOIN_STRING              the hub data dir's node-token file, <token>::sha256:<CA hash>, or one
                                   from \`flotilla token create\`: the token joins this gateway once (its
                                   node key in DIR/node-key is its credential after), the hash pins
                                   the hub's CA for the first connection
  --hub-ca-file FILE               the hub's CA certificate (DATA_DIR/pki/ca.crt), for a bare token
  --hub-insecure-plaintext         allow a plain mqtt:// or ws:// hub URL: token and Secrets in clear
  --node-name NAME                 this gateway's node name, a DNS-1123 subdomain (required)
  --data-dir DIR                   node key, local state, managed containerd (required)
  --runtime-endpoint URL           an existing CRI runtime socket (default: a managed containerd under DIR)
  --runtime fake                   an in-memory runtime, to simulate gateways
  --pause-image REF                sandbox image of the managed containerd (default: ${upstreamPauseImage},
                                   or the built-in ${builtinPauseRef} when that cannot be pulled)
  --cni-conf-dir DIR               with --runtime-endpoint: where to write the bridge conflist for
                                   the node's pod CIDR (default: the runtime's CNI is configured)
  --pod-routes on|off              host routes to the other gateways' pod networks via their
                                   node addresses (host-gw; default on, off with --runtime fake)
${dnsFlagsUsage}
  --proxy-mode MODE                Service rules: iptables (kube-proxy's layout), nftables (map-based,
                                   for thousands of Services) or none (default iptables, none with
                                   --runtime fake)
  --lb-announce-port N|off         UDP port the site's gateways beat on to elect who announces each
                                   LoadBalancer address on the plant network (default ${defaultBeatPort};
                                   off with --proxy-mode none: an address without the proxy reaches nothing)
  --api-relay-port PORT|off        the Kubernetes API for pods (kubernetes.default.svc → this port on
                                   the pod network's gateway address, carried to the hub over MQTT,
                                   answered from a cache while the hub is unreachable; default 10443,
                                   off with --runtime fake; with --runtime fake and a port: on 127.0.0.1)
  --node-labels k=v,...            extra node labels
  --register-with-taints T,...     taints the Node is created with, key=value:Effect (NoSchedule,
                                   PreferNoSchedule, NoExecute)
  --metrics-bind ADDR:PORT|off     where Prometheus scrapes the agent's /metrics, without authentication
                                   (default ${defaultAgentMetricsBind}; 0.0.0.0:PORT for a Prometheus elsewhere)
${logFlagsUsage}

${imagePackUsage}
${imageImportUsage}
${cleanupRulesUsage}`;

function required(values: Record<string, string | boolean | undefined>, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${flag} is required`);
  return value;
}

function hubUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidFlagValue('--hub', value, 'must be a URL like mqtts://hub.example:8883');
  }
  if (!['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'].includes(url.protocol) || !url.hostname)
    throw invalidFlagValue(
      '--hub',
      value,
      'must be an MQTT URL: mqtt://, mqtts://, ws:// or wss:// with a host',
    );
  return value;
}

function runtimeChoice(values: Record<string, string | boolean | undefined>): RuntimeChoice {
  const runtime = values.runtime as string | undefined;
  const endpoint = values['runtime-endpoint'] as string | undefined;
  if (runtime !== undefined && runtime !== 'fake')
    throw new UsageError(
      `--runtime: Unsupported value: ${JSON.stringify(runtime)}: supported values: "fake"`,
    );
  if (runtime === 'fake' && endpoint !== undefined)
    throw new UsageError('--runtime fake and --runtime-endpoint exclude each other');
  if (runtime === 'fake') return { kind: 'fake' };
  if (endpoint !== undefined) {
    const parsed = parseRuntimeEndpoint(endpoint);
    if (!parsed.ok) throw new UsageError(parsed.error);
    return { kind: 'endpoint', endpoint: parsed.endpoint };
  }
  const pauseImage = values['pause-image'] as string | undefined;
  if (pauseImage !== undefined && normalizeImageRef(pauseImage) !== pauseImage)
    throw invalidFlagValue(
      '--pause-image',
      pauseImage,
      `must be fully qualified, e.g. ${normalizeImageRef(pauseImage)}`,
    );
  return pauseImage === undefined ? { kind: 'managed' } : { kind: 'managed', pauseImage };
}

/** The agent's options from its command line; throws UsageError on any bad flag. */
export function parseAgentArgs(
  args: string[],
): (AgentOptions & { metricsBind?: MetricsBind; logging: LogSettings }) | 'help' {
  let values: Record<string, string | boolean | undefined>;
  ({ values } = parseFlags({
    args,
    allowPositionals: false,
    options: {
      hub: { type: 'string' },
      token: { type: 'string' },
      'hub-ca-file': { type: 'string' },
      'hub-insecure-plaintext': { type: 'boolean' },
      'node-name': { type: 'string' },
      'data-dir': { type: 'string' },
      'runtime-endpoint': { type: 'string' },
      runtime: { type: 'string' },
      'pause-image': { type: 'string' },
      'cni-conf-dir': { type: 'string' },
      'pod-routes': { type: 'string' },
      'cluster-domain': { type: 'string' },
      'cluster-dns': { type: 'string' },
      'resolv-conf': { type: 'string' },
      'proxy-mode': { type: 'string' },
      'lb-announce-port': { type: 'string' },
      'api-relay-port': { type: 'string' },
      'node-labels': { type: 'string' },
      'register-with-taints': { type: 'string' },
      'metrics-bind': { type: 'string' },
      ...logFlagOptions,
      help: { type: 'boolean', short: 'h' },
    },
  }));
  if (values.help) return 'help';
  const logging = parseLogFlags(values as { 'log-format'?: string; 'log-level'?: string });
  const url = hubUrl(required(values, 'hub'));
  // Only the first join needs a bootstrap token: once the hub has bound this gateway's node key
  // (DIR/node-key) to its name, the key alone is its credential.
  const token = values.token as string | undefined;
  if (token === '') throw new UsageError('--token must not be empty');
  const joinString = token === undefined ? undefined : parseJoinString(token);
  if (joinString && !joinString.ok) throw new UsageError(`--token: Invalid value: ${joinString.error}`);
  const hubCaFlag = values['hub-ca-file'] as string | undefined;
  const hubCaFile = hubCaFlag === undefined ? undefined : resolve(hubCaFlag);
  const hubInsecurePlaintext = values['hub-insecure-plaintext'] === true;
  // The scheme and flag combinations; whether a bare token (or none) is enough — a CA kept in the
  // data dir from an earlier join — is for the agent to decide when it starts.
  trustPlan(
    {
      url,
      pin: joinString?.ok ? joinString.value.caCertHash : undefined,
      caFile: hubCaFile,
      insecurePlaintext: hubInsecurePlaintext,
    },
    true,
  );
  const nodeName = required(values, 'node-name');
  const nameProblems = isDNS1123Subdomain(nodeName);
  if (nameProblems.length > 0) throw invalidFlagValue('--node-name', nodeName, nameProblems.join('; '));
  const dataDir = resolve(required(values, 'data-dir'));
  const labels = parseNodeLabels((values['node-labels'] as string | undefined) ?? '');
  if (!labels.ok) throw new UsageError(labels.error);
  const taints = parseTaints((values['register-with-taints'] as string | undefined) ?? '');
  if (!taints.ok) throw new UsageError(taints.error);
  const runtime = runtimeChoice(values);
  const cniConfFlag = values['cni-conf-dir'] as string | undefined;
  if (cniConfFlag === '') throw invalidFlagValue('--cni-conf-dir', cniConfFlag, 'must be a directory');
  const cniConfDir = cniConfFlag === undefined ? undefined : resolve(cniConfFlag);
  if (cniConfDir !== undefined) {
    if (runtime.kind === 'managed')
      throw new UsageError('--cni-conf-dir needs --runtime-endpoint (the managed containerd has its own)');
  }
  const podRoutes = values['pod-routes'] as string | undefined;
  if (podRoutes !== undefined && podRoutes !== 'on' && podRoutes !== 'off')
    throw new UsageError(
      `--pod-routes: Unsupported value: ${JSON.stringify(podRoutes)}: supported values: "on", "off"`,
    );
  const dns = parseDnsFlags(values);
  if (!dns.ok) throw new UsageError(dns.error);
  let proxyMode: AgentOptions['proxyMode'];
  try {
    proxyMode = parseProxyMode(values['proxy-mode'] as string | undefined, runtime.kind === 'fake');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const announceFlag = (values['lb-announce-port'] as string | undefined) ?? String(defaultBeatPort);
  const announcePort = Number(announceFlag);
  if (announceFlag !== 'off' && (!/^\d+$/.test(announceFlag) || announcePort < 1 || announcePort > 65535))
    throw invalidFlagValue('--lb-announce-port', announceFlag, 'must be a port number 1-65535 or off');
  const lbAnnounce = announceFlag !== 'off' && proxyMode !== 'none' ? { port: announcePort } : undefined;
  const apiRelay = apiRelayChoice(values['api-relay-port'] as string | undefined, runtime.kind === 'fake');
  return {
    hubUrl: url,
    ...(apiRelay !== undefined ? { apiRelay } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(hubCaFile !== undefined ? { hubCaFile } : {}),
    ...(hubInsecurePlaintext ? { hubInsecurePlaintext } : {}),
    nodeName,
    dataDir,
    runtime,
    nodeLabels: labels.value,
    taints: taints.value,
    ...(cniConfDir !== undefined ? { cniConfDir } : {}),
    proxyMode,
    ...(lbAnnounce ? { lbAnnounce } : {}),
    ...(podRoutes !== undefined ? { podRoutes: podRoutes === 'on' } : {}),
    ...(Object.keys(dns.value).length > 0 ? { dns: dns.value } : {}),
    ...metricsBindOf(values['metrics-bind']),
    logging,
  };
}

function metricsBindOf(value: string | boolean | undefined): { metricsBind?: MetricsBind } {
  const text = typeof value === 'string' ? value : defaultAgentMetricsBind;
  try {
    const bind = parseMetricsBind(text, '--metrics-bind');
    return bind ? { metricsBind: bind } : {};
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function apiRelayChoice(flag: string | undefined, fake: boolean): AgentOptions['apiRelay'] {
  if (flag === undefined) return undefined;
  if (flag === 'off') return false;
  const port = Number(flag);
  if (!/^\d+$/.test(flag) || port < 1 || port > 65535)
    throw invalidFlagValue('--api-relay-port', flag, 'must be a port (1-65535) or off');
  return fake ? { host: '127.0.0.1', port } : { port };
}

/** `flotilla agent image SUBCOMMAND`: pack a directory into an image tar, or import tars. */
async function runImageCommand(args: string[]): Promise<void> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'import') return runImageImport(rest);
  if (subcommand === 'pack') return runImagePack(rest);
  throw new UsageError(
    `image: Unsupported subcommand: ${JSON.stringify(subcommand ?? '')}: supported subcommands: "pack", "import"`,
  );
}

/** Runs the agent until SIGTERM or SIGINT; pods keep running after it stops. */
export async function runAgent(
  args: string[],
  serveMetrics?: (
    bind: MetricsBind,
    exposition: () => Promise<{ contentType: string; text: string }>,
  ) => Promise<{ port: number }>,
): Promise<void> {
  if (args[0] === 'image') return runImageCommand(args.slice(1));
  if (args[0] === 'cleanup-rules') return runCleanupRules(args.slice(1));
  const parsed = parseAgentArgs(args);
  if (parsed === 'help') {
    process.stdout.write(`Usage: ${agentUsage}\n`);
    return;
  }
  const { metricsBind, logging, ...options } = parsed;
  const root = createLogger(logging);
  const log = root.child('agent');
  const { startAgent } = await import('../edge-agent/agent.js');
  // Without a metrics address nobody reads the metrics: prom-client is not even loaded.
  const starting = startAgent({ ...options, metrics: metricsBind !== undefined, log: root });
  stopOnSignals({
    log,
    doing: 'stopping (pods keep running)',
    stop: () => starting.then((agent) => agent.stop()),
  });
  const agent = await starting;
  log.info(`node ${options.nodeName} started, hub ${options.hubUrl}`);
  const { metrics } = agent;
  if (metricsBind && serveMetrics && metrics) {
    // Metrics are no reason to stop a gateway: a taken port is said once and the agent runs on.
    await serveMetrics(metricsBind, () => metrics.exposition()).then(
      ({ port }) => log.info(`Prometheus metrics on http://${metricsBind.host}:${port}/metrics`),
      (err: Error) => log.warn(`no metrics on ${metricsBind.host}:${metricsBind.port}: ${err.message}`),
    );
  }
}
