// What every resource handler gets: the parsed request, the storage, and the client's wishes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../../api/clock.js';
import type { UserInfo } from '../../../api/rbac/rbac-types.js';
import type { HeartbeatView } from '../../node-heartbeats.js';
import type { TokenIssuer } from '../../serviceaccount/token-issuer.js';
import type { Store } from '../../store/store.js';
import type { WriteAdmission } from '../auth/escalation-check.js';
import type { UsageView } from '../metrics/gateway-usage.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import type { PodLogSource } from './pod-log.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  request: ResourceRequest;
  resource: ResourceStore;
  registry: Registry;
  store: Store;
  clock: Clock;
  /** Pod logs from the gateways; undefined when the hub runs without MQTT. */
  podLogs?: PodLogSource | undefined;
  /** Who the request acts as (auth/request-auth.ts). */
  user?: UserInfo | undefined;
  /** The requester's admission of writes (auth/escalation-check.ts for the RBAC kinds). */
  admit?: WriteAdmission | undefined;
  /** Gateways' latest heartbeats in memory; undefined when the hub runs without MQTT. */
  heartbeats?: HeartbeatView | undefined;
  /** Gateways' CPU and memory use (metrics.k8s.io); undefined when the hub runs without MQTT. */
  usage?: UsageView | undefined;
  /** Issues ServiceAccount tokens (serviceaccounts/token); undefined when the hub issues none. */
  tokens?: TokenIssuer | undefined;
}
