// Prometheus /metrics of a real hub (behind the API's authentication and RBAC, and on the
// loopback listener of --metrics-bind) and of a real agent; and the Grafana dashboard in
// deploy/grafana, whose every query must name metrics one of them exports.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { parseMetricsBind } from '../../../api/metrics-bind.js';
import { listenForMetrics, type MetricsListener } from '../../../cli/metrics-listener.js';
import type { RunningAgent } from '../../../edge-agent/agent.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { ApiClient } from '../../helpers/api-client.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import { startFakeGateway, startTestHub, type TestHub } from '../../helpers/test-hub.js';

function fetchPlain(port: number, path: string): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text }),
      );
    }).on('error', reject);
  });
}

/** Metric families of an exposition: name → type, from its `# TYPE` lines. */
function families(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) found.set(name!, type!);
  return found;
}

describe('Prometheus metrics of the hub and the agent, and the Grafana dashboard', function () {
  this.timeout(90_000);
  const runtime = new FakeRuntime();
  const agentDir = tempDir('prom-gw');
  let t: TestHub;
  let agent: RunningAgent;
  let hubListener: MetricsListener;
  let agentListener: MetricsListener;

  before(async () => {
    t = await startTestHub();
    agent = await startFakeGateway(t, 'gw-prom', runtime, agentDir);
    hubListener = await listenForMetrics({ host: '127.0.0.1', port: 0 }, () => t.hub.metrics.exposition());
    agentListener = await listenForMetrics({ host: '127.0.0.1', port: 0 }, () => agent.metrics.exposition());
    const pod = await t.api.post('/api/v1/namespaces/default/pods', {
      metadata: { name: 'counted' },
      spec: { nodeName: 'gw-prom', containers: [{ name: 'app', image: 'docker.io/library/busybox:1.36' }] },
    });
    assert.equal(pod.status, 201, pod.text);
    await eventually(async () => (await runtime.listContainers()).some((c) => c.state === 'RUNNING'), {
      timeoutMs: 45_000,
    });
  });

  after(async () => {
    await hubListener.close();
    await agentListener.close();
    await agent.stop();
    await t.close();
    rmSync(agentDir, { recursive: true, force: true });
  });

  it("counts API requests by kube-apiserver's labels on the API's /metrics, for an authorized user", async () => {
    assert.equal((await t.api.get('/api/v1/namespaces/default/pods/counted')).status, 200);
    // The namespace controller's queue takes a namespace being deleted.
    assert.equal((await t.api.post('/api/v1/namespaces', { metadata: { name: 'doomed' } })).status, 201);
    assert.equal((await t.api.delete('/api/v1/namespaces/doomed')).status, 200);
    await eventually(async () => (await t.api.get('/api/v1/namespaces/doomed')).status === 404, {
      timeoutMs: 45_000,
    });
    const res = await t.api.get('/metrics');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(
      res.text,
      /^apiserver_request_total\{verb="GET",group="",resource="pods",subresource="",code="200"\} [1-9]\d*$/m,
    );
    assert.match(
      res.text,
      /^apiserver_request_total\{verb="POST",group="",resource="pods",subresource="",code="201"\} 1$/m,
    );
    assert.match(
      res.text,
      /^apiserver_request_duration_seconds_bucket\{le="0\.005",verb="GET",group="",resource="pods",subresource=""\} \d+$/m,
    );
    assert.match(
      res.text,
      /^flotilla_store_operations_total\{operation="create",resource="pods",result="ok"\} [1-9]/m,
    );
    assert.match(res.text, /^flotilla_gateways\{state="online"\} 1$/m);
    assert.match(res.text, /^flotilla_edgesync_messages_received_total\{route="heartbeat"\} [1-9]/m);
    assert.match(res.text, /^workqueue_adds_total\{name="namespace"\} [1-9]/m);
  });

  it('refuses /metrics without credentials (401) and to a user without the right (403); system:monitoring may', async () => {
    const anonymous = await new ApiClient(t.hub.apiUrl, t.hub.caPem, undefined).get('/metrics');
    assert.equal(anonymous.status, 401);
    const refused = await t.api.as('mallory').get('/metrics');
    assert.equal(refused.status, 403);
    assert.equal(refused.json().message, 'forbidden: User "mallory" cannot get path "/metrics"');
    const monitoring = await t.api.as('prometheus', ['system:monitoring']).get('/metrics');
    assert.equal(monitoring.status, 200);
    // An unknown path is counted without its name: random URLs do not add series.
    await t.api.get('/apis/nope.example.com/v1/things');
    const text = (await t.api.get('/metrics')).text;
    assert.doesNotMatch(text, /things/);
  });

  it('serves the same text unauthenticated on the loopback listener, and nothing else there', async () => {
    const scraped = await fetchPlain(hubListener.port, '/metrics');
    assert.equal(scraped.status, 200);
    assert.match(scraped.text, /^# TYPE apiserver_request_total counter$/m);
    assert.equal((await fetchPlain(hubListener.port, '/')).status, 404);
    assert.throws(
      () => parseMetricsBind('0.0.0.0:9090', '--metrics-bind', { loopbackOnly: true }),
      /only on a loopback address \(127\.0\.0\.1 or ::1\), got 0\.0\.0\.0/,
    );
  });

  it("exports the agent's CRI, pod start, sync and link metrics", async () => {
    const text = (await fetchPlain(agentListener.port, '/metrics')).text;
    assert.match(
      text,
      /^kubelet_runtime_operations_duration_seconds_count\{operation_type="runPodSandbox"\} 1$/m,
    );
    assert.match(
      text,
      /^kubelet_runtime_operations_duration_seconds_count\{operation_type="listContainers"\} [1-9]/m,
    );
    assert.match(text, /^flotilla_agent_sync_loop_duration_seconds_count [1-9]/m);
    assert.match(text, /^flotilla_agent_hub_connected 1$/m);
    assert.match(text, /^flotilla_agent_hub_connects_total 1$/m);
    assert.match(text, /^flotilla_agent_outbox_items \d+$/m);
    await eventually(async () =>
      /^kubelet_pod_start_duration_seconds_count 1$/m.test(
        (await fetchPlain(agentListener.port, '/metrics')).text,
      ),
    );
  });

  it('has a Grafana dashboard whose every query names metrics the hub or the agent exports', async () => {
    const exported = new Map([
      ...families((await t.api.get('/metrics')).text),
      ...families((await fetchPlain(agentListener.port, '/metrics')).text),
    ]);
    const dashboard = JSON.parse(readFileSync('deploy/grafana/flotilla-fleet.json', 'utf8'));
    assert.equal(dashboard.uid, 'flotilla-fleet');
    const panels = dashboard.panels.filter((p: any) => p.type !== 'row');
    assert.ok(panels.length >= 20, `${panels.length} panels`);
    assert.equal(
      new Set(dashboard.panels.map((p: any) => p.id)).size,
      dashboard.panels.length,
      'panel ids unique',
    );
    const used = new Set<string>();
    for (const panel of panels) {
      assert.ok(panel.targets.length > 0, `${panel.title}: no query`);
      for (const { expr } of panel.targets) {
        // A metric is what a selector follows: name{...}.
        const names = [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1] as string);
        assert.ok(names.length > 0, `${panel.title}: ${expr} names no metric`);
        for (const name of names) {
          const base = name.replace(/_(bucket|sum|count)$/, '');
          const type = exported.get(name) ?? exported.get(base);
          assert.ok(type, `${panel.title}: ${name} is not exported by the hub or the agent`);
          if (name !== base) assert.equal(type, 'histogram', `${name}: ${base} is no histogram`);
          if (expr.includes(`histogram_quantile`) && name.endsWith('_bucket'))
            assert.equal(type, 'histogram');
          used.add(base);
        }
      }
    }
    assert.ok(used.has('apiserver_request_total') && used.has('kubelet_pod_start_duration_seconds'));
  });
});
