// Wires the API relay's hub side: requests from the gateways into the API handler, serving
// certificates from the hub's CA for the `kubernetes` Service's ClusterIP.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../api/logger.js';
import type { RunningMqtt } from '../hub-mqtt.js';
import { type KeyPairPem, loadCertificateAuthority } from '../pki/certificate-authority.js';
import { issueRelayCertificate } from '../pki/relay-certificate.js';
import { ApiRelayHub } from './api-relay-hub.js';

export async function startApiRelay(
  mqtt: Pick<RunningMqtt, 'publish' | 'hear'>,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  caPem: KeyPairPem,
  clusterIP: Promise<string | undefined>,
  log: Logger,
): Promise<ApiRelayHub> {
  const ca = await loadCertificateAuthority(caPem);
  const relay = new ApiRelayHub({
    publish: mqtt.publish,
    handler,
    log,
    servingCert: async (node, publicKeyPem) => {
      const ip = await clusterIP;
      if (!ip) throw new Error('the kubernetes Service has no ClusterIP yet');
      const certPem = await issueRelayCertificate(ca, node, publicKeyPem, ip);
      return { certPem, caPem: ca.certPem, clusterIP: ip };
    },
  });
  mqtt.hear((message) => relay.receive(message));
  return relay;
}
