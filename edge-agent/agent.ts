// The edge agent, wired: container runtime, local state, pod manager, node status and the hub
// link. Only wiring lives here; each part is in its own folder behind its own seam.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../api/clock.js';
import { type Logger, silentLogger } from '../api/logger.js';
import { parseJoinString } from '../api/mqtt/join-string.js';
import type { AgentDesired } from '../api/mqtt/payloads/desired-state.js';
import type { RegisteredTaint } from '../api/mqtt/payloads/node-registration.js';
import { routes } from '../api/mqtt/route-table.js';
import { UsageError } from '../api/usage-error.js';
import { AgentApiRelay, type ApiRelayChoice } from './api-relay/agent-api-relay.js';
import { ClusterDns, type ClusterDnsOptions } from './dns/cluster-dns.js';
import type { PodDnsSettings } from './dns/pod-dns-config.js';
import { DesiredSync } from './hub-link/desired-sync.js';
import { DesiredView } from './hub-link/desired-view.js';
import { HubContact } from './hub-link/hub-contact.js';
import { HubLink, type HubLinkTiming } from './hub-link/hub-link.js';
import { HubTrust } from './hub-link/hub-trust.js';
import { loadOrCreateNodeKey } from './hub-link/node-key.js';
import { defaultOutboxLimit, Outbox, type OutboxEntry } from './hub-link/outbox.js';
import { outboxReports } from './hub-link/pod-reports.js';
import { SharedSync } from './hub-link/shared-sync.js';
import { LbAnnouncer } from './l2-announce/lb-announcer.js';
import { LocalState } from './local-state/local-state.js';
import { OutboxPersistence } from './local-state/outbox-persistence.js';
import { systemTimers } from './local-state/timers.js';
import type { CoalescingOptions } from './local-state/write-coalescer.js';
import { AgentMetrics } from './metrics/agent-metrics.js';
import type { AgentObserver } from './metrics/agent-observer.js';
import { HostRoutes } from './network/host-routes.js';
import { localInternalIPs } from './node-status/host-facts.js';
import { NodeStatusSource } from './node-status/node-status-source.js';
import type { HubContactView } from './pods/disconnect-holds.js';
import { PodManager } from './pods/pod-manager.js';
import type { PodManagerApi, PodManagerReports } from './pods/pod-manager-contract.js';
import type { TokenPolicy, TokenSource } from './pods/service-account-tokens.js';
import { UsageMetrics } from './pods/usage-metrics.js';
import { createAgentProxy } from './proxy/agent-proxy.js';
import type { ProxyModeChoice } from './proxy/proxy-mode.js';
import { commandRunner } from './proxy/run-command.js';
import type { ProxyInput, ServiceProxy } from './proxy/service-proxy.js';
import type { ContainerRuntime } from './runtime/container-runtime.js';
import { containerdPaths, instanceNetworkNames } from './runtime/containerd-config.js';
import { CriRuntime } from './runtime/cri-runtime.js';
import { FakeRuntime } from './runtime/fake-runtime.js';
import { findExecutable } from './runtime/find-executable.js';
import { importImageBuffer } from './runtime/image-import.js';
import { ManagedContainerd } from './runtime/managed-containerd.js';
import { type ConflistWriter, PodNetwork, writeBridgeConflist } from './runtime/pod-network.js';
import {
  ensureSandboxImage,
  initialSandboxImage,
  readSandboxChoice,
  saveSandboxChoice,
} from './runtime/sandbox-image.js';

export type RuntimeChoice =
  | { kind: 'fake' }
  | { kind: 'endpoint'; endpoint: string }
  /** pauseImage: --pause-image; unset, the agent picks one that works (sandbox-image.ts). */
  | { kind: 'managed'; pauseImage?: string | undefined }
  /** A runtime the caller owns (tests, simulations); the agent does not close it. */
  | { kind: 'instance'; runtime: ContainerRuntime };

export interface PodManagerDeps {
  nodeName: string;
  dataDir: string;
  runtime: ContainerRuntime;
  reports: PodManagerReports;
  /** False until the node's pod network is configured; see PodManagerOptions. */
  podCidrReady: () => boolean;
  /** Pods' resolv.conf: the service DNS, the cluster domain, the host's resolvers. */
  dns?: PodDnsSettings;
  /** Since when the hub is out of reach (flotilla.io/disconnect); see PodManagerOptions. */
  hubContact?: HubContactView;
  /** Times pod sync and pod starts (the agent's metrics). */
  observer?: AgentObserver;
  /** The pods' ServiceAccount tokens, asked of the hub over the link. */
  tokens?: TokenSource;
  /** When those tokens are renewed (tests shorten it); see PodManagerOptions. */
  tokenPolicy?: Partial<TokenPolicy>;
  log: Logger;
}

export type PodManagerFactory = (deps: PodManagerDeps) => PodManagerApi | Promise<PodManagerApi>;

export interface AgentOptions {
  hubUrl: string;
  /**
   * The join string, `<token>::sha256:<CA hash>` (DATA_DIR/node-token on the hub), or a bare
   * bootstrap token: needed only until the hub has bound this gateway's node key to its name.
   */
  token?: string | undefined;
  /** The hub's CA, instead of (or checked against) the join string's pin. */
  hubCaFile?: string;
  /** Plain mqtt:// or ws:// to the hub: no TLS. */
  hubInsecurePlaintext?: boolean;
  nodeName: string;
  dataDir: string;
  runtime: RuntimeChoice;
  nodeLabels?: Record<string, string>;
  taints?: RegisteredTaint[];
  log?: Logger;
  timing?: Partial<HubLinkTiming>;
  outboxWrites?: CoalescingOptions;
  outboxLimit?: number;
  /** Default: the pod manager of edge-agent/pods. */
  podManager?: PodManagerFactory;
  /** When pods' ServiceAccount tokens are renewed; default kubelet's (80% of their lifetime). */
  tokenPolicy?: Partial<TokenPolicy>;
  /**
   * Where to write the bridge conflist for the node's pod CIDR when the runtime is not the
   * managed containerd (which has its own conf dir). Unset: the runtime's CNI is assumed ready.
   */
  cniConfDir?: string;
  /**
   * Host routes to the other gateways' pod networks (host-gw). Default: on with a real runtime,
   * off with the fake one or a runtime instance (simulations share the host's routing table).
   */
  podRoutes?: boolean;
  /**
   * Service DNS (edge-agent/dns): cluster domain, the address pods query, the host resolv.conf.
   * Default: on at 169.254.20.10:53 with a real runtime, off with the fake one or an instance.
   */
  dns?: ClusterDnsOptions;
  /**
   * The service proxy's rules (edge-agent/proxy). Default none here, so an embedded agent (tests,
   * simulations) never rewrites the host's firewall; `flotilla agent` defaults to iptables.
   */
  proxyMode?: ProxyModeChoice;
  /**
   * Layer-2 announcement of LoadBalancer addresses on the plant network (edge-agent/l2-announce):
   * the UDP port the site's gateways beat on. Undefined (the default here): off.
   */
  lbAnnounce?: { port: number } | undefined;
  /**
   * The Kubernetes API for pods (edge-agent/api-relay). Default: on with a real runtime (port
   * 10443 on the pod network's gateway address), off with the fake one or an instance; false: off.
   */
  apiRelay?: ApiRelayChoice | false;
}

export interface RunningAgent {
  link: HubLink;
  /** Prometheus metrics (served by `flotilla agent --metrics-bind`). */
  metrics: AgentMetrics;
  podManager: PodManagerApi;
  runtime: ContainerRuntime;
  outbox: Outbox;
  localState: LocalState;
  podNetwork: PodNetwork;
  clusterDns: ClusterDns;
  hubContact: HubContact;
  /** The service proxy; undefined with proxy mode none. */
  proxy: ServiceProxy | undefined;
  /** The API relay for pods; undefined when off. */
  apiRelay: AgentApiRelay | undefined;
  /** Pods keep running: pod sync stops, managed containerd stops, its shims stay (kubelet semantics). */
  stop(): Promise<void>;
}

/** The LoadBalancer announcer, or undefined when off or when its beat port cannot be had (said once). */
async function startAnnouncer(
  nodeName: string,
  choice: AgentOptions['lbAnnounce'],
  log: Logger,
): Promise<LbAnnouncer | undefined> {
  if (!choice) return undefined;
  const announcer = new LbAnnouncer({ nodeName, port: choice.port, run: commandRunner(), log });
  try {
    await announcer.start();
    return announcer;
  } catch (err) {
    log.warn(`LoadBalancer addresses not announced: UDP port ${choice.port}: ${(err as Error).message}`);
    return undefined;
  }
}

/** The pod manager of edge-agent/pods, with the node's address and the runtime's name. */
const defaultPodManager: PodManagerFactory = async (deps) => {
  const version = await deps.runtime.version().catch(() => undefined);
  const hostIP = localInternalIPs()[0];
  return new PodManager({
    ...deps,
    clock: systemClock,
    ...(hostIP ? { hostIP } : {}),
    ...(version ? { runtimeName: version.runtimeName } : {}),
  });
};

interface OpenedRuntime {
  runtime: ContainerRuntime;
  /** Writes the pod network's conflist where this runtime reads it; none: not ours to write. */
  conflist?: ConflistWriter;
  /** A simulated runtime's pod IPs follow the Node's pod CIDR too (they never wait for it). */
  followPodCidr?: (podCidr: string) => void;
  stop(): Promise<void>;
}

/** A conflist in --cni-conf-dir for a runtime we do not manage; IPAM records under our data dir. */
function externalConflist(dataDir: string, confDir: string | undefined): ConflistWriter | undefined {
  if (!confDir) return undefined;
  const target = { ...instanceNetworkNames(dataDir), confDir, ipamDataDir: join(dataDir, 'cni-ipam') };
  return (podCidr) => writeBridgeConflist(target, podCidr);
}

async function openRuntime(
  choice: RuntimeChoice,
  dataDir: string,
  log: Logger,
  podCidr: string | undefined,
  cniConfDir: string | undefined,
): Promise<OpenedRuntime> {
  switch (choice.kind) {
    case 'instance': {
      const runtime = choice.runtime;
      return {
        runtime,
        ...(runtime instanceof FakeRuntime ? { followPodCidr: (cidr) => runtime.usePodCidr(cidr) } : {}),
        stop: async () => {},
      };
    }
    case 'fake': {
      // Like a real gateway's bridge, pods wait for the Node's pod CIDR and take their IPs from it.
      const runtime = new FakeRuntime(podCidr ? { podCidr } : {});
      const external = externalConflist(dataDir, cniConfDir);
      return {
        runtime,
        conflist: (cidr) => [runtime.usePodCidr(cidr), external?.(cidr) ?? false].includes(true),
        stop: async () => runtime.close(),
      };
    }
    case 'endpoint': {
      const runtime = new CriRuntime(choice.endpoint);
      // A runtime that is down now is reported as NotReady; pod sync retries until it answers.
      await runtime.waitReady(5_000).catch((err: Error) => log.warn(`runtime not ready yet: ${err.message}`));
      return { runtime, stop: async () => runtime.close() };
    }
    case 'managed': {
      if (!findExecutable('containerd')) {
        throw new Error(
          'no container runtime: containerd is not installed; install it, pass --runtime-endpoint unix:///run/containerd/containerd.sock, or --runtime fake to simulate a gateway',
        );
      }
      // A pod CIDR kept in local state: the conflist is there before containerd starts.
      const paths = containerdPaths(dataDir);
      const pauseImage = initialSandboxImage(choice.pauseImage, readSandboxChoice(paths.instanceDir));
      const containerd = new ManagedContainerd({
        dataDir,
        pauseImage,
        podCidr,
        log: log.child('containerd'),
      });
      await containerd.start();
      const runtime = new CriRuntime(containerd.endpoint);
      try {
        const usable = await ensureSandboxImage(pauseImage, choice.pauseImage !== undefined, {
          runtime,
          importTar: async (tar) => {
            await importImageBuffer(containerd.address, tar, paths.instanceDir);
          },
          log,
        });
        await containerd.useSandboxImage(usable);
        if (choice.pauseImage === undefined) saveSandboxChoice(paths.instanceDir, usable);
      } catch (error) {
        log.warn(`sandbox image not ready: ${(error as Error).message}`);
      }
      return {
        runtime,
        conflist: (cidr) => containerd.writePodNetwork(cidr),
        stop: async () => {
          runtime.close();
          // Only the daemon stops: shims, and with them the containers, keep running, and the
          // next containerd finds them again (runtime-facts §1).
          await containerd.stop();
        },
      };
    }
  }
}

function describeEntry(entry: OutboxEntry): string {
  const { value } = entry;
  return value.kind === 'podStatus'
    ? `status of pod ${value.item.namespace}/${value.item.name}`
    : `event ${value.item.reason} about ${value.item.involvedObject.name}`;
}

function usableDesired(state: LocalState, nodeName: string, log: Logger): AgentDesired | undefined {
  const loaded = state.desired();
  if (loaded && loaded.node !== nodeName) {
    log.warn(`local state holds node ${loaded.node}'s desired state, not ${nodeName}'s; ignored`);
    return undefined;
  }
  return loaded;
}

function podRoutesFor(options: AgentOptions, log: Logger): HostRoutes | undefined {
  const real = options.runtime.kind === 'managed' || options.runtime.kind === 'endpoint';
  if (!(options.podRoutes ?? real)) return undefined;
  return new HostRoutes({ addresses: localInternalIPs, log });
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { nodeName, dataDir } = options;
  // Each subsystem logs as its component (`kubelet`, `hub-link`, `dns`, …) under the caller's logger.
  const log = (options.log ?? silentLogger).child('agent');
  const logAs = (component: string) => (options.log ?? silentLogger).child(component);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700); // it holds the node key, the state key and Secrets: tighten old installs
  const joinString = options.token === undefined ? undefined : parseJoinString(options.token);
  if (joinString && !joinString.ok) throw new UsageError(`--token: Invalid value: ${joinString.error}`);
  const join = joinString?.ok ? joinString.value : undefined;
  // Before anything starts: flags that cannot give a trusted link fail the agent at once.
  const trust = new HubTrust({
    url: options.hubUrl,
    pin: join?.caCertHash,
    caFile: options.hubCaFile,
    insecurePlaintext: options.hubInsecurePlaintext,
    dataDir,
    log: logAs('hub-link'),
  });
  if (trust.plan.kind === 'plaintext')
    log.warn(
      `WARNING: plain MQTT to ${options.hubUrl}: the join token and Secrets cross the network in clear`,
    );
  const nodeKey = loadOrCreateNodeKey(dataDir, logAs('hub-link'));
  const localState = await LocalState.open(dataDir, logAs('local-state'));
  const loaded = usableDesired(localState, nodeName, log);
  const opened = await openRuntime(
    options.runtime,
    dataDir,
    logAs('runtime'),
    loaded?.podCIDR,
    options.cniConfDir,
  );
  const metrics = new AgentMetrics();
  // Every CRI call the agent makes is timed (kubelet_runtime_operations_duration_seconds).
  const runtime = metrics.instrument(opened.runtime);
  const realRuntime = options.runtime.kind === 'managed' || options.runtime.kind === 'endpoint';
  const clusterDns = new ClusterDns({ ...options.dns, observer: metrics }, realRuntime, logAs('dns'));
  let apiRelay: AgentApiRelay | undefined;
  try {
    // Offline restart: Services of the last applied desired state resolve before the hub is back.
    if (loaded) clusterDns.update(loaded);
    await clusterDns.start();
    let link: HubLink | undefined;
    const podNetwork = new PodNetwork(
      opened.conflist ?? externalConflist(dataDir, options.cniConfDir),
      logAs('pod-network'),
      () => link?.statusMayChangeSoon(),
    );
    const applyPodCidr = (podCidr: string | undefined) => {
      podNetwork.apply(podCidr);
      if (podCidr !== undefined) apiRelay?.usePodCidr(podCidr);
      if (podCidr === undefined) return;
      try {
        opened.followPodCidr?.(podCidr);
      } catch (err) {
        logAs('pod-network').warn(
          `simulated runtime cannot use pod CIDR ${podCidr}: ${(err as Error).message}`,
        );
      }
    };
    // Offline restart: the pod CIDR of the last applied desired state.
    applyPodCidr(loaded?.podCIDR);
    const outbox = new Outbox(options.outboxLimit ?? defaultOutboxLimit, (entry, why) =>
      log.warn(`${describeEntry(entry)} dropped: ${why}`),
    );
    outbox.restore(localState.outbox());
    metrics.sources.outboxDepth = () => outbox.size;
    const persistence = new OutboxPersistence(
      outbox,
      localState,
      options.outboxWrites,
      systemTimers,
      logAs('local-state'),
    );
    const hubContact = new HubContact({
      now: () => systemClock.now().getTime(),
      kept: localState.offlineSince(),
      keep: (since) => localState.saveOfflineSince(since),
      log: logAs('hub-link'),
    });
    const reports = outboxReports(
      outbox,
      () => {
        persistence.changed();
        link?.queued();
      },
      logAs('hub-link'),
    );
    const podManager = await (options.podManager ?? defaultPodManager)({
      nodeName,
      dataDir,
      runtime,
      reports,
      podCidrReady: () => podNetwork.ready(),
      dns: clusterDns.podDns,
      hubContact,
      observer: metrics,
      // The link comes after the pod manager: until it exists a token cannot be asked for.
      tokens: {
        request: (ask) =>
          link ? link.tokens.request(ask) : Promise.reject(new Error('the hub link is not started yet')),
      },
      ...(options.tokenPolicy ? { tokenPolicy: options.tokenPolicy } : {}),
      log: logAs('kubelet'),
    });
    const podRoutes = podRoutesFor(options, logAs('pod-routes'));
    // Offline restart: the routes of the last applied desired state.
    if (loaded) void podRoutes?.apply(loaded.podRoutes ?? [], loaded.podCIDR);
    const proxy = createAgentProxy(options.proxyMode ?? 'none', nodeName, logAs('proxy'), metrics);
    const announcer = await startAnnouncer(nodeName, options.lbAnnounce, logAs('lb-announce'));
    // The announcer reads what the proxy reads: Services (with their addresses) and EndpointSlices.
    const serviceConsumer =
      proxy || announcer
        ? {
            setDesired: (input: ProxyInput) => {
              proxy?.setDesired(input);
              announcer?.setDesired(input);
            },
          }
        : undefined;
    const relayChoice = options.apiRelay ?? (realRuntime ? {} : false);
    if (relayChoice) {
      apiRelay = new AgentApiRelay(relayChoice, {
        dataDir,
        nodeName,
        offlineSince: () => hubContact.offlineSince(),
        proxy,
        log: logAs('api-relay'),
      });
      apiRelay.usePodCidr(loaded?.podCIDR);
      await apiRelay.start();
    }
    const shared = new SharedSync(nodeName, loaded, logAs('hub-link'));
    const view = new DesiredView(loaded, shared, {
      dns: clusterDns,
      proxy: serviceConsumer,
      podManager,
      ...(podRoutes ? { podRoutes } : {}),
      store: localState,
      segmentChanged: () => void link?.followSegment(),
      log,
    });
    const desired = new DesiredSync(
      {
        nodeName,
        podManager: { setDesired: (own) => view.applyOwn(own) },
        podNetwork: { apply: applyPodCidr },
        store: { saveDesired: (own) => view.saveOwn(own) },
        ack: (ack) => void link?.send(routes.ack, ack).catch(() => {}),
        resync: (request) => void link?.send(routes.resync, request).catch(() => {}),
        log: logAs('hub-link'),
      },
      loaded,
      localState.recovered,
    );
    if (loaded) {
      // Offline autonomy: run what was last applied, before (and without) the hub.
      serviceConsumer?.setDesired(loaded);
      podManager.setDesired(loaded);
      log.info(`running ${loaded.pods.length} pod(s) of revision ${loaded.revision} from local state`);
    }
    podManager.start().catch((err: Error) => log.warn(`pod manager failed: ${err.message}`));
    link = new HubLink({
      url: options.hubUrl,
      onConnected: () => metrics.connects.inc(),
      tls: () => trust.clientOptions(),
      token: join?.token,
      nodeName,
      nodeKey,
      node: new NodeStatusSource({
        nodeName,
        dataDir,
        runtime,
        labels: options.nodeLabels,
        taints: options.taints,
      }),
      desired,
      shared: { sync: shared, changed: () => view.sharedChanged() },
      outbox,
      onDelivered: () => persistence.changed(),
      contact: hubContact,
      apiRelay: apiRelay?.hooks,
      logs: podManager,
      exec: { nodeName, runtime, pods: () => podManager.runningPods() },
      metrics: new UsageMetrics({ nodeName, runtime }),
      timing: options.timing,
      log: logAs('hub-link'),
    });
    apiRelay?.useLink(link);
    link.start();
    const running = link;
    metrics.sources.connected = () => running.connected;
    const relay = apiRelay;
    let stopping: Promise<void> | undefined;
    return {
      link: running,
      podManager,
      runtime: opened.runtime,
      metrics,
      outbox,
      localState,
      podNetwork,
      clusterDns,
      hubContact,
      proxy,
      apiRelay: relay,
      stop: () => {
        stopping ??= (async () => {
          await relay?.stop();
          // The service rules stay: Services keep working while the agent is down.
          proxy?.stop();
          await announcer?.stop();
          view.stop();
          await running.stop();
          await podManager.stop();
          await hubContact.flushed();
          await clusterDns.stop();
          await persistence.close();
          await opened.stop();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await apiRelay?.stop();
    await clusterDns.stop();
    await opened.stop();
    throw err;
  }
}
