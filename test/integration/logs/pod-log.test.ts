import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { request } from 'node:https';
import type { RunningAgent } from '../../../edge-agent/agent.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { NodeRequestError, NodeRequests } from '../../../hub/apiserver/node-requests/node-requests.js';
import { FuzzClient } from '../../fuzz/fuzz-client.js';
import { eventually } from '../../helpers/eventually.js';
import { hearAsHub } from '../../helpers/hear-as-hub.js';
import { tempDir } from '../../helpers/hub-process.js';
import { Kubectl } from '../../helpers/kubectl.js';
import { startFakeGateway, startTestHub, type TestHub } from '../../helpers/test-hub.js';

const node = 'gw-logs';
const image = 'docker.io/library/busybox:1.36';

describe('pod logs through the hub, over MQTT', function () {
  this.timeout(30_000);
  const agentDir = tempDir('logs-gw');
  const runtime = new FakeRuntime();
  let t: TestHub;
  let agent: RunningAgent | undefined;

  const createPod = async (name: string, containers: string[], nodeName = node) => {
    const res = await t.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: {
        ...(nodeName !== '' ? { nodeName } : {}),
        containers: containers.map((c) => ({ name: c, image })),
      },
    });
    assert.equal(res.status, 201, res.text);
  };
  /** The running container `name` of pod `pod`, once the agent has started it. */
  const runningContainer = (pod: string, name: string) =>
    eventually(async () => {
      const sandboxes = await runtime.listPodSandboxes();
      const sandbox = sandboxes.find((s) => s.metadata.name === pod);
      const containers = await runtime.listContainers();
      return containers.find(
        (c) => c.podSandboxId === sandbox?.id && c.name === name && c.state === 'RUNNING',
      );
    });
  const log = (pod: string, query = '') => t.api.get(`/api/v1/namespaces/default/pods/${pod}/log${query}`);

  before(async () => {
    t = await startTestHub();
    agent = await startFakeGateway(t, node, runtime, agentDir);
    await createPod('web', ['app']);
    const app = await runningContainer('web', 'app');
    for (const line of ['line 1', 'line 2', 'line 3']) await runtime.emitLog(app!.id, 'stdout', line);
  });

  after(async () => {
    await agent?.stop();
    await t.close();
    rmSync(agentDir, { recursive: true, force: true });
  });

  it("streams the pod's only container's log as text/plain", async () => {
    const res = await log('web');
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.equal(res.text, 'line 1\nline 2\nline 3\n');
  });

  it('passes tailLines and limitBytes on to the gateway', async () => {
    assert.equal((await log('web', '?tailLines=1')).text, 'line 3\n');
    assert.equal((await log('web', '?limitBytes=4')).text, 'line');
  });

  it('refuses a malformed parameter with a 400 naming it', async () => {
    const res = await log('web', '?tailLines=-1');
    assert.equal(res.status, 400);
    assert.match(res.json().message, /^tailLines: Invalid value: "-1"/);
  });

  it('asks for a container name when the pod has several, like kube-apiserver', async () => {
    await createPod('two', ['a', 'b']);
    const b = await runningContainer('two', 'b');
    await runtime.emitLog(b!.id, 'stdout', 'from b');
    const res = await log('two');
    assert.equal(res.status, 400);
    assert.equal(res.json().message, 'a container name must be specified for pod two, choose one of: [a b]');
    assert.equal((await log('two', '?container=b')).text, 'from b\n');
    const unknown = await log('two', '?container=nope');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json().message, 'container nope is not valid for pod two');
  });

  it('answers 404 for a pod that does not exist', async () => {
    const res = await log('nope');
    assert.equal(res.status, 404);
    assert.equal(res.json().reason, 'NotFound');
  });

  it('answers 400 for a pod not bound to a node', async () => {
    await createPod('pending', ['app'], '');
    const res = await log('pending');
    assert.equal(res.status, 400);
    assert.equal(res.json().message, 'pod pending does not have a host assigned');
  });

  it('serves kubectl logs, with --tail and -c', async () => {
    const kubectl = new Kubectl(t.hub.kubeconfigPath);
    const tail = await kubectl.run(['logs', 'web', '--tail=2']);
    assert.equal(tail.code, 0, tail.stderr);
    assert.equal(tail.stdout, 'line 2\nline 3\n');
    const b = await kubectl.run(['logs', 'two', '-c', 'b']);
    assert.equal(b.stdout, 'from b\n', b.stderr);
  });

  it('follows the log: streams a line written after the request, and cancels when the client hangs up', async () => {
    const app = await runningContainer('web', 'app');
    let text = '';
    const req = request(new URL('/api/v1/namespaces/default/pods/web/log?follow=true', t.hub.apiUrl), {
      ca: t.hub.caPem,
      headers: { Authorization: `Bearer ${t.hub.adminToken}` },
    });
    req.on('response', (res) => {
      assert.equal(res.statusCode, 200);
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
    });
    req.on('error', () => {});
    req.end();
    const readUntil = (wanted: string) => eventually(() => text.includes(wanted));
    await readUntil('line 3\n');
    await eventually(async () => agent!.link.requests.size === 1);
    await runtime.emitLog(app!.id, 'stdout', 'line 4');
    await readUntil('line 4\n');
    assert.equal(text, 'line 1\nline 2\nline 3\nline 4\n');
    req.destroy();
    await eventually(async () => agent!.link.requests.size === 0);
  });

  // Found by the fuzz suite (as for watches): a HEAD kept its response open while the gateway
  // streamed, holding its keep-alive connection and the requests queued on it.
  it('answers a HEAD of a followed log with the headers alone, so its connection serves the next request', async () => {
    const oneConnection = new FuzzClient(t.hub.apiUrl, t.hub.caPem, t.hub.adminToken, 1);
    try {
      const head = await oneConnection.send(
        { method: 'HEAD', path: '/api/v1/namespaces/default/pods/web/log?follow=true', headers: {} },
        5000,
      );
      assert.equal(head.status, 200);
      assert.match(head.contentType, /^text\/plain/);
      const next = await oneConnection.send({ method: 'GET', path: '/version', headers: {} }, 5000);
      assert.equal(next.status, 200);
    } finally {
      oneConnection.close();
    }
  });

  it('answers 503 for a gateway that never connected', async () => {
    await createPod('elsewhere', ['app'], 'gw-never');
    const res = await log('elsewhere');
    assert.equal(res.status, 503);
    assert.equal(res.json().message, 'gateway gw-never has not connected to the hub');
  });

  it('answers 503 naming the gateway and since when once it is offline', async () => {
    await agent!.stop();
    agent = undefined;
    const res = await eventually(async () => {
      const found = await log('web');
      return found.status === 503 ? found : undefined;
    });
    assert.match(res!.json().message, /^gateway gw-logs is offline since \d{4}-\d\d-\d\dT/);
  });
});

describe('NodeRequests (fed by hand)', () => {
  const sent: Array<{ topic: string; body: any }> = [];
  const requestsWith = (idleTimeoutMs = 5_000) => {
    sent.length = 0;
    const requests = new NodeRequests({
      publish: (topic, payload) => sent.push({ topic, body: JSON.parse(payload.toString()) }),
      idleTimeoutMs,
    });
    const feed = (route: string, body: object) =>
      hearAsHub(requests)(`flotilla/v1/nodes/gw/${route}`, Buffer.from(JSON.stringify(body)));
    feed('presence', { state: 'online', since: 1 });
    return { requests, feed };
  };

  it('publishes the request with its reply topic and hands on chunks in seq order', async () => {
    const { requests, feed } = requestsWith();
    const text: string[] = [];
    const done = requests.logs('gw', { namespace: 'default', pod: 'web', tailLines: 2 }, (t) => text.push(t));
    const request = sent[0]!;
    assert.equal(request.topic, 'flotilla/v1/nodes/gw/requests/logs');
    assert.equal(request.body.replyTo, `flotilla/v1/nodes/gw/replies/${request.body.id}`);
    assert.equal(request.body.tailLines, 2);
    const { id } = request.body;
    feed(`replies/${id}`, { id, seq: 1, data: 'b' });
    feed(`replies/${id}`, { id, seq: 2, end: true });
    feed(`replies/${id}`, { id, seq: 0, data: 'a' });
    await done;
    assert.deepEqual(text, ['a', 'b']);
  });

  it("rejects with the gateway's error", async () => {
    const { requests, feed } = requestsWith();
    const done = requests.logs('gw', { namespace: 'default', pod: 'web' }, () => {});
    const { id } = sent[0]!.body;
    feed(`replies/${id}`, { id, seq: 0, end: true, error: 'pods "web" not found' });
    await assert.rejects(done, (err) => err instanceof NodeRequestError && err.kind === 'failed');
  });

  it('gives up when the gateway says nothing in time', async () => {
    const { requests } = requestsWith(50);
    await assert.rejects(
      requests.logs('gw', { namespace: 'default', pod: 'web' }, () => {}),
      (err) => err instanceof NodeRequestError && err.message === 'gateway gw did not answer within 0.05 s',
    );
  });

  it('publishes a cancel request when aborted', async () => {
    const { requests } = requestsWith();
    const abort = new AbortController();
    const done = requests.logs(
      'gw',
      { namespace: 'default', pod: 'web', follow: true },
      () => {},
      abort.signal,
    );
    abort.abort();
    await done;
    assert.deepEqual(sent[1], {
      topic: 'flotilla/v1/nodes/gw/requests/cancel',
      body: { id: sent[0]!.body.id },
    });
  });

  it('fails requests in flight when the gateway goes offline', async () => {
    const { requests, feed } = requestsWith();
    const done = requests.logs('gw', { namespace: 'default', pod: 'web' }, () => {});
    feed('presence', { state: 'offline', since: 5000 });
    await assert.rejects(done, (err) => err instanceof NodeRequestError && err.kind === 'offline');
    assert.equal(requests.presenceOf('gw')?.since.getTime(), 5000);
  });
});
