// What the agent's parts report for its Prometheus metrics (agent-metrics.ts): each optional, so
// a part runs the same without one (tests, simulations). Kept free of prom-client.

export interface AgentObserver {
  /** One pass of pod sync took `seconds`. */
  syncPass?(seconds: number): void;
  /** A pod this agent started reached Running, `seconds` after the agent first saw it. */
  podStarted?(seconds: number): void;
  /** The service proxy applied its rules: all of them, or an update; `servicePorts` now programmed. */
  proxySynced?(kind: 'full' | 'update', seconds: number, servicePorts: number): void;
  /** A DNS query was answered: from the cluster's records or upstream. */
  dnsQuery?(transport: 'udp' | 'tcp', source: 'cluster' | 'upstream'): void;
}
