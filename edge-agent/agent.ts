// The edge agent, wired: container runtime, local state, pod manager, node status and the hub
// link. Only wiring lives here; each part is in its own folder behind its own seam. Who consumes
// desired state, and in which order, is desired/desired-consumers.ts (one list for the start-up
// replay and for the hub's changes); the stop order is agent-shutdown.ts.
import { chmodSync, mkdirSync } from 'node:fs';
import { systemClock } from '../api/clock.js';
import { type Logger, silentLogger } from '../api/logger.js';
import { parseJoinString } from '../api/mqtt/join-string.js';
import { routes } from '../api/mqtt/route-table.js';
import { UsageError } from '../api/usage-error.js';
import type { AgentOptions } from './agent-options.js';
import { stopAgent, stopStartedEarly } from './agent-shutdown.js';
import { AgentApiRelay } from './api-relay/agent-api-relay.js';
import { desiredConsumers } from './desired/desired-consumers.js';
import { DesiredView } from './desired/desired-view.js';
import { loadLocalDesired } from './desired/local-desired.js';
import { ClusterDns } from './dns/cluster-dns.js';
import { DesiredSync } from './hub-link/desired-sync.js';
import { HubContact } from './hub-link/hub-contact.js';
import { HubLink } from './hub-link/hub-link.js';
import { HubTrust } from './hub-link/hub-trust.js';
import { loadOrCreateNodeKey } from './hub-link/node-key.js';
import { defaultOutboxLimit, describeOutboxEntry, Outbox } from './hub-link/outbox.js';
import { outboxReports } from './hub-link/pod-reports.js';
import { SharedSync } from './hub-link/shared-sync.js';
import { startAnnouncer } from './l2-announce/start-announcer.js';
import { LocalState } from './local-state/local-state.js';
import { OutboxPersistence } from './local-state/outbox-persistence.js';
import { systemTimers } from './local-state/timers.js';
import { AgentMetrics } from './metrics/agent-metrics.js';
import { HostRoutes } from './network/host-routes.js';
import { localInternalIPs } from './node-status/host-facts.js';
import { NodeStatusSource } from './node-status/node-status-source.js';
import type { PodManagerApi } from './pods/pod-manager-contract.js';
import { defaultPodManager } from './pods/pod-manager-factory.js';
import { UsageMetrics } from './pods/usage-metrics.js';
import { createAgentProxy } from './proxy/agent-proxy.js';
import type { ServiceProxy } from './proxy/service-proxy.js';
import type { ContainerRuntime } from './runtime/container-runtime.js';
import { openRuntime } from './runtime/open-runtime.js';
import { PodNetwork } from './runtime/pod-network.js';

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
  const loaded = loadLocalDesired(localState, nodeName, log);
  const opened = await openRuntime(options.runtime, {
    dataDir,
    podCidr: loaded?.podCIDR,
    cniConfDir: options.cniConfDir,
    log: logAs('runtime'),
  });
  const metrics = new AgentMetrics();
  // Every CRI call the agent makes is timed (kubelet_runtime_operations_duration_seconds).
  const runtime = metrics.instrument(opened.runtime);
  const realRuntime = options.runtime.kind === 'managed' || options.runtime.kind === 'endpoint';
  const clusterDns = new ClusterDns({ ...options.dns, observer: metrics }, realRuntime, logAs('dns'));
  let apiRelay: AgentApiRelay | undefined;
  try {
    await clusterDns.start();
    let link: HubLink | undefined;
    const podNetwork = new PodNetwork(opened.conflist, logAs('pod-network'), () =>
      link?.statusMayChangeSoon(),
    );
    const outbox = new Outbox(options.outboxLimit ?? defaultOutboxLimit, (entry, why) =>
      log.warn(`${describeOutboxEntry(entry)} dropped: ${why}`),
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
    const proxy = createAgentProxy(options.proxyMode ?? 'none', nodeName, logAs('proxy'), metrics);
    const announcer = await startAnnouncer(nodeName, options.lbAnnounce, logAs('lb-announce'));
    const relayChoice = options.apiRelay ?? (realRuntime ? {} : false);
    if (relayChoice) {
      apiRelay = new AgentApiRelay(relayChoice, {
        dataDir,
        nodeName,
        offlineSince: () => hubContact.offlineSince(),
        proxy,
        log: logAs('api-relay'),
      });
      await apiRelay.start();
    }
    const shared = new SharedSync(nodeName, loaded, logAs('hub-link'));
    const view = new DesiredView(loaded, shared, {
      consumers: desiredConsumers({
        podNetwork,
        simulatedRuntime: opened.followPodCidr,
        apiRelay,
        dns: clusterDns,
        proxy,
        announcer,
        podRoutes,
        podManager,
        log,
      }),
      store: localState,
      segmentChanged: () => void link?.followSegment(),
      log,
    });
    const desired = new DesiredSync(
      {
        nodeName,
        apply: (own) => view.applyOwn(own),
        store: { saveDesired: (own) => view.saveOwn(own) },
        ack: (ack) => void link?.send(routes.ack, ack).catch(() => {}),
        resync: (request) => void link?.send(routes.resync, request).catch(() => {}),
        log: logAs('hub-link'),
      },
      loaded,
      localState.recovered,
    );
    // Offline autonomy: run what was last applied, before (and without) the hub.
    view.replay();
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
    const parts = {
      apiRelay,
      clusterDns,
      runtime: opened,
      proxy,
      announcer,
      view,
      link: running,
      podManager,
      hubContact,
      persistence,
    };
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
      apiRelay,
      stop: () => {
        stopping ??= stopAgent(parts);
        return stopping;
      },
    };
  } catch (err) {
    await stopStartedEarly({ apiRelay, clusterDns, runtime: opened });
    throw err;
  }
}
