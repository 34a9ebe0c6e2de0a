// The child side of api-probe-process.ts: runs ApiProbes until told to stop, then sends the
// results and exits.
import type { FromProbes, ToProbes } from './api-probe-process.js';
import { ApiProbes } from './api-probes.js';
import { closeEndpoint, createEndpoint, type Endpoint } from './http-client.js';

let pod: string | undefined;
let endpoint: Endpoint | undefined;
let probes: ApiProbes | undefined;

process.on('message', (message: ToProbes) => {
  if ('target' in message) {
    const { apiUrl, caPem, token, namespace } = message.target;
    endpoint = createEndpoint('hub', apiUrl, { ca: caPem, token, maxSockets: 2 });
    probes = new ApiProbes(endpoint, namespace, () => pod);
    probes.start();
  } else if ('pod' in message) {
    pod = message.pod;
  } else if ('stop' in message) {
    void stop();
  }
});

async function stop(): Promise<void> {
  const results = (await probes?.stop()) ?? ({} as FromProbes['results']);
  if (endpoint) closeEndpoint(endpoint);
  process.send?.({ results } satisfies FromProbes, () => process.exit(0));
}
