// The agent's ClusterDns on loopback (no interface): it keeps trying while its port is taken,
// and serves the last desired state once it can.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { type AgentDesired, protocolVersion } from '../../../api/mqtt/payloads/desired-state.js';
import { ClusterDns } from '../../../edge-agent/dns/cluster-dns.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { eventually } from '../../helpers/eventually.js';
import { aClusterIPService } from '../../unit/dns/dns-builders.js';
import { aQuery, askUdp } from './dns-wire.js';

function desired(revision: number): AgentDesired {
  return {
    protocol: protocolVersion,
    revision,
    node: 'gw1',
    pods: [],
    configMaps: [],
    secrets: [],
    services: [aClusterIPService('web', '10.43.0.10')],
    endpointSlices: [],
  };
}

describe('cluster DNS lifecycle', () => {
  it('retries while its port is taken, then serves the desired state applied meanwhile', async () => {
    const blocker = createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(0, '127.0.0.1', resolve));
    const port = blocker.address().port;
    const logs: string[] = [];
    const dns = new ClusterDns(
      { clusterDns: '127.0.0.1', port, retryMs: 50 },
      false,
      captureLogger(logs).child('dns'),
    );
    try {
      await dns.start();
      assert.equal(dns.port, undefined);
      assert.match(logs.join('\n'), /dns: responder not started on 127\.0\.0\.1: .*EADDRINUSE/);
      dns.update(desired(3));
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      await eventually(() => dns.port === port);
      const answer = await askUdp(port, aQuery('web.default.svc.cluster.local'));
      assert.deepEqual(
        answer.answers?.map((a) => (a as { data: string }).data),
        ['10.43.0.10'],
      );
      assert.equal(
        logs.filter((l) => l.includes('not started')).length,
        1,
        'the same failure is logged once',
      );
    } finally {
      await dns.stop();
    }
    assert.equal(dns.port, undefined);
  });
});
