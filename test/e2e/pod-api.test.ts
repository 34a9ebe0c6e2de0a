// The API from a pod on a real gateway: the hub process, an emulated gateway (netns + containerd)
// with the `flotilla agent` process inside it, and a pod with curl that reaches
// https://kubernetes.default.svc through the service DNS, the service proxy's rules and the
// agent's API relay, checking the relay's certificate against the hub's CA. The pod runs as a
// ServiceAccount bound to a Role, and uses what the ServiceAccount admission mounted for it
// (/var/run/secrets/kubernetes.io/serviceaccount: the bound token the agent asked the hub for,
// kube-root-ca.crt's ca.crt): the requests are that ServiceAccount's, never the gateway's.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { importImageTar } from '../../edge-agent/runtime/image-import.js';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { curlImage, missingCurl } from '../helpers/images/curl-image.js';
import { Kubectl } from '../helpers/kubectl.js';
import { type NetnsAgent, startNetnsAgent } from '../helpers/netns-agent.js';
import {
  skipUnlessRuntimeHost,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from '../helpers/test-gateway-runtime.js';

const node = 'api-gw';
const user = 'system:serviceaccount:default:reader';
const mount = '/var/run/secrets/kubernetes.io/serviceaccount';

function manifest(curl: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: line-config, namespace: default}
data: {speed: "12"}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: config-reader, namespace: default}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: config-reader, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
subjects: [{kind: ServiceAccount, name: reader, namespace: default}]
---
apiVersion: v1
kind: Pod
metadata: {name: api-client, namespace: default}
spec:
  nodeName: ${node}
  serviceAccountName: reader
  terminationGracePeriodSeconds: 1
  containers:
    - name: client
      image: ${curl}
      command: [sleep, '3600']
`;
}

interface CurlAnswer {
  status: number;
  headers: string;
  body: string;
}

describe('the API from a pod on a real gateway', function () {
  this.timeout(120_000);
  let hub: HubProcess | undefined;
  let gw: TestGatewayRuntime;
  let agent: NetnsAgent | undefined;
  let kubectl: Kubectl;

  /** curl from the pod to kubernetes.default.svc with its mounted token and CA. */
  async function curl(method: string, path: string, body?: string): Promise<CurlAnswer> {
    const container = (await gw.cri.listContainers()).find(
      (c) => c.name === 'client' && c.state === 'RUNNING',
    );
    assert.ok(container, 'the client container is not running');
    const script = [
      'curl -sS -i --max-time 8',
      `--cacert ${mount}/ca.crt`,
      `-H "Authorization: Bearer $(cat ${mount}/token)"`,
      `-X ${method}`,
      ...(body ? ['-H "Content-Type: application/json"', `--data '${body}'`] : []),
      `https://kubernetes.default.svc${path}`,
    ].join(' ');
    const result = await gw.cri.execSync(container.id, ['sh', '-c', script], 15);
    const out = result.stdout.toString('utf8');
    if (result.exitCode !== 0)
      throw new Error(`curl exited ${result.exitCode}: ${out}${result.stderr.toString()}`);
    const at = out.indexOf('\r\n\r\n');
    const head = out.slice(0, at);
    return { status: Number(/^HTTP\/\S+ (\d+)/.exec(head)?.[1]), headers: head, body: out.slice(at + 4) };
  }

  before(async function () {
    skipUnlessRuntimeHost(this);
    if (missingCurl()) this.skip();
    hub = await startHubProcess(undefined, ['--bind', '0.0.0.0']);
    kubectl = new Kubectl(hub.kubeconfig);
    gw = await startTestGatewayRuntime(node);
    const image = await curlImage();
    await importImageTar(gw.containerd.address, image.tar);
    agent = await startNetnsAgent(hub, gw, node);
    await kubectl.ok(['apply', '-f', '-'], manifest(image.ref));
  });

  after(async () => {
    await agent?.remove().catch(() => {});
    await gw?.teardown();
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it('lists what its Role allows through kubernetes.default.svc, verified against the hub CA', async () => {
    const answer = (await eventually(
      async (): Promise<CurlAnswer | false> => {
        const res = await curl('GET', '/api/v1/namespaces/default/configmaps');
        return res.status === 200 ? res : false;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${agent?.output()}`);
    })) as CurlAnswer;
    const pod = JSON.parse(await kubectl.ok(['get', 'pod', 'api-client', '-o', 'json']));
    assert.ok(
      pod.spec.volumes.some((v: any) => /^kube-api-access-/.test(v.name) && v.projected),
      'the admission mounted the ServiceAccount token',
    );
    const list = JSON.parse(answer.body);
    assert.equal(list.kind, 'ConfigMapList');
    assert.ok(list.items.some((cm: any) => cm.metadata.name === 'line-config'));
    const direct = JSON.parse(await kubectl.ok(['get', 'configmap', 'line-config', '-o', 'json']));
    const one = await curl('GET', '/api/v1/namespaces/default/configmaps/line-config');
    assert.equal(JSON.parse(one.body).metadata.resourceVersion, direct.metadata.resourceVersion);
  });

  it('is refused the rest, in the hub words', async () => {
    const res = await curl('GET', '/api/v1/namespaces/default/secrets');
    assert.equal(res.status, 403);
    assert.equal(
      JSON.parse(res.body).message,
      `secrets is forbidden: User "${user}" cannot list resource "secrets" in API group "" in the namespace "default"`,
    );
  });

  it('keeps reading with the hub stopped, and gets 503 on a write meanwhile', async () => {
    const before = JSON.parse((await curl('GET', '/api/v1/namespaces/default/configmaps')).body);
    await hub!.stop();
    const offline = (await eventually(
      async (): Promise<CurlAnswer | false> => {
        const res = await curl('GET', '/api/v1/namespaces/default/configmaps');
        return res.status === 200 && /hub is unreachable/.test(res.headers) ? res : false;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    )) as CurlAnswer;
    assert.equal(JSON.parse(offline.body).metadata.resourceVersion, before.metadata.resourceVersion);
    const write = await curl(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"offline"}}',
    );
    assert.equal(write.status, 503);
    assert.match(
      JSON.parse(write.body).message,
      /^the hub is unreachable from gateway api-gw since \d{4}-\d\d-\d\dT.*Z: writes are refused until it is back$/,
    );
  });
});
