// How much a gateway may send per route before the hub slows or drops it: part of the protocol
// (firmware authors need it; the protocol document renders it from here), applied by the hub's
// edge sync (hub/edge-sync/gateway-limits.ts), a token bucket per gateway and route counting
// items. Why these numbers:
// - events: kubelet limits its own event writes to 50/s with a burst of 100 (eventRecordQPS,
//   eventBurst) and then 1 per 5 min per object (EventSourceObjectSpamFilter). A gateway is a
//   kubelet that also replays what it queued offline, so: a burst of 250, then 10/s — at most
//   ~0.5% of what the hub's store writes per second (README, Performance) for one gateway.
//   Beyond it Events are dropped, as kube's spam filter drops them (they are diagnostics), and
//   the gateway is told on its `refused` topic.
// - pod and node statuses are level-based and must never be lost, only delayed: beyond the
//   limit the newest status per pod (per node, for node status and registration) waits and is
//   applied as tokens come back. 20 pods changing every second fit in the 50/s.
// - a resync costs the hub the gateway's whole desired state (up to 8 MiB) and a routes resync
//   its segment's whole set (up to 1 MiB) when the digest differs: an agent sends one per
//   connection, per gap and per segment change, so 1/s after a burst of 10; the newest request
//   waits for a token (a later one says all an earlier one did).
// - a token request costs an RSA signature (about a millisecond): a gateway asks once per pod
//   start and once per pod per ~48 minutes, so a burst of 100 (a gateway's pods after a reboot)
//   then 5/s; over the limit a request is dropped and the agent asks again after its timeout.

export interface RouteLimit {
  /** Items that may go through at once (and at the start). */
  burst: number;
  /** Items per second after the burst. */
  perSecond: number;
  /** drop: over-limit items are discarded; coalesce: the newest per key waits for tokens. */
  overflow: 'drop' | 'coalesce';
}

export const gatewayRouteLimits: Readonly<Record<string, RouteLimit>> = {
  events: { burst: 250, perSecond: 10, overflow: 'drop' },
  podStatus: { burst: 500, perSecond: 50, overflow: 'coalesce' },
  nodeStatus: { burst: 10, perSecond: 1, overflow: 'coalesce' },
  register: { burst: 5, perSecond: 0.2, overflow: 'coalesce' },
  presence: { burst: 10, perSecond: 1, overflow: 'coalesce' },
  resync: { burst: 10, perSecond: 1, overflow: 'coalesce' },
  routesResync: { burst: 10, perSecond: 1, overflow: 'coalesce' },
  tokenRequest: { burst: 100, perSecond: 5, overflow: 'drop' },
};

/** Statuses waiting for tokens, per gateway and route (distinct pods); beyond, they are dropped. */
export const maxWaitingItems = 2_000;
