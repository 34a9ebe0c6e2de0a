// The service DNS inside a running agent: an in-process hub sends Services and EndpointSlices,
// the agent (fake runtime, real pod manager) answers them on 127.0.0.1 at a free port, gives
// its pods the cluster resolv.conf, and keeps answering from local state with the hub gone.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecodedPacket } from 'dns-packet';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import {
  type AgentUnderTest,
  freePort,
  type HubUnderTest,
  removeDir,
  startAgentUnderTest,
  startHubUnderTest,
} from '../agent/agent-harness.js';
import { aQuery, askTcp, askUdp, rcodeOf } from './dns-wire.js';

const node = 'gw-dns';

function addresses(packet: DecodedPacket): string[] {
  return (packet.answers ?? []).flatMap((a) => (a.type === 'A' ? [a.data] : [])).sort();
}

describe('service DNS in the edge agent', function () {
  this.timeout(30_000);
  const hubDir = tempDir('dns-hub');
  const agentDir = tempDir('dns-gw');
  const resolvConf = join(tempDir('dns-host'), 'resolv.conf');
  const runtime = new FakeRuntime();
  let hub: HubUnderTest | undefined;
  let gw: AgentUnderTest | undefined;
  let mqttPort: number;
  let webIP = '';

  const startGw = async () => {
    gw = await startAgentUnderTest({ mqttUrl: `mqtts://127.0.0.1:${mqttPort}`, token: hub!.token }, node, {
      dataDir: agentDir,
      fakeRuntime: runtime,
      realPods: true,
      dns: { clusterDns: '127.0.0.1', port: 0, resolvConf },
    });
    return gw;
  };
  const dnsPort = () => gw!.agent.clusterDns.port!;

  before(async () => {
    writeFileSync(resolvConf, 'nameserver 192.0.2.53\nsearch plant.example\n');
    mqttPort = await freePort();
    hub = await startHubUnderTest(hubDir, mqttPort);
    await startGw();
  });

  after(async () => {
    await gw?.agent.stop();
    await hub?.hub.stop();
    removeDir(hubDir);
    removeDir(agentDir);
  });

  it('answers a new Service with the cluster IP the hub allocated, over UDP and TCP', async () => {
    const res = await hub!.api.post('/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    assert.equal(res.status, 201, res.text);
    webIP = res.json().spec.clusterIP;
    await eventually(async () => {
      assert.deepEqual(addresses(await askUdp(dnsPort(), aQuery('web.default.svc.cluster.local'))), [webIP]);
      return true;
    });
    const srv = await askTcp(dnsPort(), aQuery('_http._tcp.web.default.svc.cluster.local', 'SRV'));
    assert.deepEqual(
      srv.answers?.map((a) => (a.type === 'SRV' ? `${a.data.port} ${a.data.target}` : a.type)),
      ['80 web.default.svc.cluster.local'],
    );
  });

  it('answers a headless Service with the ready addresses of its EndpointSlice', async () => {
    const service = await hub!.api.post('/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db', namespace: 'default' },
      spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] },
    });
    assert.equal(service.status, 201, service.text);
    const slice = await hub!.api.post('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'db-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'db' } },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['10.42.9.5'], hostname: 'db-0', conditions: { ready: true } },
        { addresses: ['10.42.9.6'], conditions: { ready: false } },
      ],
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    });
    assert.equal(slice.status, 201, slice.text);
    await eventually(async () => {
      assert.deepEqual(addresses(await askUdp(dnsPort(), aQuery('db.default.svc.cluster.local'))), [
        '10.42.9.5',
      ]);
      return true;
    });
    assert.deepEqual(addresses(await askUdp(dnsPort(), aQuery('db-0.db.default.svc.cluster.local'))), [
      '10.42.9.5',
    ]);
  });

  it("gives the node's pods the cluster DNS, the search path and ndots:5 in their sandbox config", async () => {
    const res = await hub!.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: 'default' },
      spec: { nodeName: node, containers: [{ name: 'app', image: 'docker.io/library/busybox:1.36' }] },
    });
    assert.equal(res.status, 201, res.text);
    const sandbox = await eventually(async () => {
      const found = (await runtime.listPodSandboxes()).find((s) => s.metadata.name === 'client');
      assert.ok(found, 'no sandbox yet');
      return found;
    });
    assert.deepEqual(runtime.sandboxConfig(sandbox.id)?.dnsConfig, {
      servers: ['127.0.0.1'],
      searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'plant.example'],
      options: ['ndots:5'],
    });
  });

  it('keeps answering from local state after an agent restart while the hub is down', async () => {
    await hub!.hub.stop();
    await gw!.agent.stop();
    await startGw();
    assert.deepEqual(addresses(await askUdp(dnsPort(), aQuery('web.default.svc.cluster.local'))), [webIP]);
    assert.equal(rcodeOf(await askUdp(dnsPort(), aQuery('gone.default.svc.cluster.local'))), 'NXDOMAIN');
  });

  it('is off by default with the fake runtime: no address, no port, pods get the host resolvers', async () => {
    const other = await startAgentUnderTest(
      { mqttUrl: `mqtts://127.0.0.1:${mqttPort}`, token: hub!.token },
      'gw-nodns',
      {
        dataDir: tempDir('dns-off'),
      },
    );
    try {
      assert.equal(other.agent.clusterDns.address, undefined);
      assert.equal(other.agent.clusterDns.port, undefined);
      assert.deepEqual(other.agent.clusterDns.podDns.clusterDns, []);
    } finally {
      await other.agent.stop();
      removeDir(other.dataDir);
    }
  });
});
