// What one Service change costs the fleet: a Service (and the EndpointSlice its controller makes)
// created, then changed, each measured as the desired-state messages and bytes every gateway
// received for it. Shared objects travel once per change on retained per-object topics, so a
// change should cost about its own size once per gateway, whatever the fleet holds.
import type { HollowFleet } from './hollow-fleet.js';
import { type Endpoint, sendJson } from './http-client.js';

export interface ChangeCost {
  /** Desired-state messages per gateway (all gateways need every Service: kube-proxy's view). */
  messagesPerGateway: number;
  bytesPerGateway: number;
  totalBytes: number;
  /** Seconds until every gateway had it. */
  seconds: number;
}

export interface ServiceChangeResult {
  create: ChangeCost;
  change: ChangeCost;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every gateway received `perGateway` more messages (or 60 s), then 2 s more. */
async function measure(
  fleet: HollowFleet,
  act: () => Promise<void>,
  perGateway: number,
): Promise<ChangeCost> {
  const before = fleet.gateways.map((gw) => gw.counters.desiredMessages);
  const mark = fleet.totals();
  const start = Date.now();
  await act();
  const everyone = () =>
    fleet.gateways.every((gw, i) => gw.counters.desiredMessages - before[i]! >= perGateway);
  while (!everyone() && Date.now() - start < 60_000) await sleep(100);
  const seconds = (Date.now() - start) / 1_000;
  await sleep(2_000); // anything that follows late counts too
  const now = fleet.totals();
  const n = fleet.gateways.length;
  const messages = now.desiredMessages - mark.desiredMessages;
  const bytes = now.desiredBytes - mark.desiredBytes;
  return { messagesPerGateway: messages / n, bytesPerGateway: bytes / n, totalBytes: bytes, seconds };
}

export async function serviceChange(api: Endpoint, fleet: HollowFleet): Promise<ServiceChangeResult> {
  const path = '/api/v1/namespaces/default/services';
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'fleet-bench-svc', namespace: 'default' },
    // Selects no pod: the change measured is the Service's own (and its empty EndpointSlice).
    spec: { selector: { app: 'fleet-bench-none' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
  const create = await measure(
    fleet,
    async () => {
      await sendJson(api, { method: 'POST', path, body: JSON.stringify(service) }, 201);
    },
    1,
  );
  const change = await measure(
    fleet,
    async () => {
      await sendJson(
        api,
        {
          method: 'PATCH',
          path: `${path}/fleet-bench-svc`,
          body: JSON.stringify({ spec: { ports: [{ name: 'http', port: 80, targetPort: 8081 }] } }),
          contentType: 'application/merge-patch+json',
        },
        200,
      );
    },
    1,
  );
  return { create, change };
}
