// How the agent stops, in order: what it serves first (the pods' API relay, the announcer),
// then what feeds it (desired state, the hub link), then the pods' sync, and what it keeps
// (local state) and runs on (the runtime) last. Pods keep running: pod sync stops, a managed
// containerd stops, its shims stay (kubelet semantics), and the service rules stay so Services
// keep working while the agent is down.
import type { AgentApiRelay } from './api-relay/agent-api-relay.js';
import type { DesiredView } from './desired/desired-view.js';
import type { ClusterDns } from './dns/cluster-dns.js';
import type { HubContact } from './hub-link/hub-contact.js';
import type { HubLink } from './hub-link/hub-link.js';
import type { LbAnnouncer } from './l2-announce/lb-announcer.js';
import type { OutboxPersistence } from './local-state/outbox-persistence.js';
import type { PodManagerApi } from './pods/pod-manager-contract.js';
import type { ServiceProxy } from './proxy/service-proxy.js';
import type { OpenedRuntime } from './runtime/open-runtime.js';

/** What a failed start-up had already started: let go again before the error is thrown. */
export interface StartedEarly {
  apiRelay: AgentApiRelay | undefined;
  clusterDns: ClusterDns;
  runtime: OpenedRuntime;
}

export interface AgentParts extends StartedEarly {
  proxy: ServiceProxy | undefined;
  announcer: LbAnnouncer | undefined;
  view: DesiredView;
  link: HubLink;
  podManager: PodManagerApi;
  hubContact: HubContact;
  persistence: OutboxPersistence;
}

export async function stopAgent(parts: AgentParts): Promise<void> {
  await parts.apiRelay?.stop();
  // The service rules stay: Services keep working while the agent is down.
  parts.proxy?.stop();
  await parts.announcer?.stop();
  parts.view.stop();
  await parts.link.stop();
  await parts.podManager.stop();
  await parts.hubContact.flushed();
  await parts.clusterDns.stop();
  await parts.persistence.close();
  await parts.runtime.stop();
}

export async function stopStartedEarly(parts: StartedEarly): Promise<void> {
  await parts.apiRelay?.stop();
  await parts.clusterDns.stop();
  await parts.runtime.stop();
}
