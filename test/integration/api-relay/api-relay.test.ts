import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
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
import { relayRequest, relayWatch } from './relay-client.js';

const node = 'gw-relay';
const configMaps = '/api/v1/namespaces/default/configmaps';

describe('the API relay of a gateway', function () {
  this.timeout(40_000);
  const hubDir = tempDir('api-relay-hub');
  const agentDir = tempDir('api-relay-gw');
  const runtime = new FakeRuntime();
  let mqttPort: number;
  let hub: HubUnderTest | undefined;
  let gw: AgentUnderTest | undefined;
  let joinToken = '';
  let ca = '';
  let admin = '';

  const startGw = async () => {
    gw = await startAgentUnderTest({ mqttUrl: `mqtts://127.0.0.1:${mqttPort}`, token: joinToken }, node, {
      dataDir: agentDir,
      fakeRuntime: runtime,
      apiRelay: { host: '127.0.0.1', port: 0 },
    });
    return eventually(() => gw!.agent.apiRelay?.server.port);
  };
  const relayPort = () => gw!.agent.apiRelay!.server.port!;
  const call = (method: string, path: string, options: Parameters<typeof relayRequest>[4] = {}) =>
    relayRequest(relayPort(), ca, method, path, { token: admin, ...options });

  before(async () => {
    mqttPort = await freePort();
    hub = await startHubUnderTest(hubDir, mqttPort);
    joinToken = hub.token;
    ca = hub.hub.caPem;
    admin = hub.hub.adminToken;
    const res = await hub.api.post(configMaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'line-config' },
      data: { speed: '12' },
    });
    assert.equal(res.status, 201, res.text);
    await startGw();
  });
  after(async () => {
    await gw?.agent.stop();
    await hub?.hub.stop();
    removeDir(hubDir);
    removeDir(agentDir);
  });

  it('has the kubernetes Service at the first service address, with the hub as its endpoints', async () => {
    const svc = (await hub!.api.get('/api/v1/namespaces/default/services/kubernetes')).json();
    assert.equal(svc.spec.clusterIP, '10.43.0.1');
    assert.deepEqual(svc.spec.ports, [
      { name: 'https', protocol: 'TCP', port: 443, targetPort: hub!.hub.apiPort },
    ]);
    const ep = (await hub!.api.get('/api/v1/namespaces/default/endpoints/kubernetes')).json();
    assert.deepEqual(ep.subsets, [
      {
        addresses: [{ ip: '127.0.0.1' }],
        ports: [{ name: 'https', port: hub!.hub.apiPort, protocol: 'TCP' }],
      },
    ]);
  });

  it('serves with a certificate of the hub CA for the names pods use, bound to the gateway', async () => {
    const pem = (await import('node:fs')).readFileSync(`${agentDir}/api-relay/serving.crt`, 'utf8');
    const cert = new X509Certificate(pem);
    assert.ok(cert.verify(new X509Certificate(ca).publicKey));
    assert.match(cert.subject, /CN=system:node:gw-relay/);
    for (const name of [
      'DNS:kubernetes.default.svc',
      'DNS:kubernetes.default.svc.cluster.local',
      'IP Address:10.43.0.1',
    ])
      assert.ok(cert.subjectAltName?.includes(name), `${name} in ${cert.subjectAltName}`);
  });

  it('relays GET and LIST with the resourceVersion of the hub', async () => {
    // The list's own resourceVersion is the store's, which the gateway's Lease renewals move on;
    // an object's stays put.
    const direct = (await hub!.api.get(`${configMaps}/line-config`)).json();
    const res = await call('GET', configMaps);
    assert.equal(res.status, 200, res.text);
    const list = res.json();
    assert.equal(list.kind, 'ConfigMapList');
    const item = list.items.find((cm: any) => cm.metadata.name === 'line-config');
    assert.equal(item.metadata.resourceVersion, direct.metadata.resourceVersion);
    assert.ok(Number(list.metadata.resourceVersion) >= Number(direct.metadata.resourceVersion));
    const one = await call('GET', `${configMaps}/line-config`);
    assert.equal(one.json().metadata.resourceVersion, direct.metadata.resourceVersion);
    assert.equal(one.json().data.speed, '12');
  });

  it('relays a write', async () => {
    const res = await call('POST', configMaps, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-pod' }, data: { a: '1' } },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal((await hub!.api.get(`${configMaps}/from-pod`)).status, 200);
  });

  it('answers as the token says: no token is 401, a refused user is 403 in the hub words', async () => {
    const anonymous = await relayRequest(relayPort(), ca, 'GET', configMaps);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json().reason, 'Unauthorized');
    const wrong = await call('GET', configMaps, { token: 'not-a-token' });
    assert.equal(wrong.status, 401);
    const denied = await call('GET', configMaps, { headers: { 'impersonate-user': 'jane' } });
    assert.equal(denied.status, 403);
    assert.equal(
      denied.json().message,
      'configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" in the namespace "default"',
    );
  });

  it('streams a watch', async () => {
    const rv = (await call('GET', configMaps)).json().metadata.resourceVersion;
    const watch = relayWatch(relayPort(), ca, `${configMaps}?watch=true&resourceVersion=${rv}`, admin);
    assert.equal(await watch.status, 200);
    await hub!.api.post(configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched' } });
    await eventually(() => watch.lines.some((l) => JSON.parse(l).object?.metadata?.name === 'watched'));
    const event = JSON.parse(watch.lines.find((l) => l.includes('"watched"'))!);
    assert.equal(event.type, 'ADDED');
    watch.close();
    await eventually(() => hub!.hub.mqtt && gw!.agent.apiRelay!.relay.counts.watches === 0);
  });

  describe('with the hub stopped', () => {
    let cachedList: any;
    before(async () => {
      cachedList = (await call('GET', configMaps)).json();
      await call('GET', `${configMaps}/line-config`);
      await hub!.hub.stop();
      hub = undefined;
      await eventually(() => !gw!.agent.link.connected);
    });

    it('answers reads this token made before from the cache, with their resourceVersion', async () => {
      const res = await call('GET', configMaps);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json(), cachedList);
      assert.match(
        String(res.headers.warning),
        /served by gateway gw-relay from its cache .* the hub is unreachable since/,
      );
      assert.equal((await call('GET', `${configMaps}/line-config`)).json().data.speed, '12');
    });

    it('refuses writes with 503 saying since when the hub is unreachable', async () => {
      const since = gw!.agent.hubContact.offlineSince()!;
      const res = await call('POST', configMaps, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'offline' } },
      });
      assert.equal(res.status, 503);
      const status = res.json();
      assert.equal(status.reason, 'ServiceUnavailable');
      assert.equal(
        status.message,
        `the hub is unreachable from gateway gw-relay since ${new Date(since).toISOString()}: writes are refused until it is back`,
      );
      assert.equal(res.headers['retry-after'], '10');
    });

    it('gives 503 for a read this token never made, and for another token', async () => {
      assert.equal((await call('GET', '/api/v1/namespaces/default/secrets')).status, 503);
      assert.equal((await call('GET', configMaps, { token: 'another-token' })).status, 503);
      assert.equal((await relayRequest(relayPort(), ca, 'GET', configMaps)).status, 503);
      // The same token impersonating someone is someone else.
      assert.equal((await call('GET', configMaps, { headers: { 'impersonate-user': 'jane' } })).status, 503);
    });

    it('keeps the cache across an agent restart', async () => {
      await gw!.agent.stop();
      await startGw();
      const res = await call('GET', configMaps);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json().metadata.resourceVersion, cachedList.metadata.resourceVersion);
    });

    it('holds a watch of a listed collection open and ends it when the hub is back; then answers live', async () => {
      const watch = relayWatch(relayPort(), ca, `${configMaps}?watch=true&resourceVersion=1`, admin);
      assert.equal(await watch.status, 200);
      assert.equal(gw!.agent.apiRelay!.relay.counts.held, 1);
      hub = await startHubUnderTest(hubDir, mqttPort);
      await watch.ended;
      assert.deepEqual(watch.lines, []);
      await eventually(() => gw!.agent.link.connected);
      await eventually(async () => {
        const res = await call('GET', configMaps);
        const names = res.status === 200 ? res.json().items.map((cm: any) => cm.metadata.name) : [];
        // Live again: no warning, and what the hub has (line-config, from-pod, kube-root-ca.crt).
        return (
          res.headers.warning === undefined && names.includes('line-config') && names.includes('from-pod')
        );
      });
    });
  });
});
