// Services carrying real traffic across two real gateways (issue 5 §4): each gateway a network
// namespace with its own containerd and agent (iptables proxy mode, service DNS, host-gw pod
// routes), backends on both, driven by kubectl.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '../helpers/eventually.js';
import { type GatewayFleet, httpBackendPod, startGatewayFleet } from '../helpers/gateway-fleet.js';
import { flotillaBin } from '../helpers/hub-process.js';
import { skipUnlessRuntimeHost } from '../helpers/test-gateway-runtime.js';

const run = promisify(execFile);
const nodes = ['st-a', 'st-b'];

function manifest(image: string): string {
  return `apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
${httpBackendPod('web-a', nodes[0]!, image)}---
${httpBackendPod('web-b', nodes[1]!, image)}---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default}
spec:
  nodeName: ${nodes[0]}
  terminationGracePeriodSeconds: 1
  containers:
    - name: client
      image: ${image}
      command: [sleep, '36000']
`;
}

/** Answers (backend hostnames, or "failed") of `count` HTTP GETs made from a gateway's netns. */
async function getsFromGateway(netns: string, url: string, count: number): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < count; i++) {
    try {
      const { stdout } = await run('ip', ['netns', 'exec', netns, 'curl', '-sS', '-m', '2', url]);
      answers.push(stdout.trim());
    } catch {
      answers.push('failed');
    }
  }
  return answers;
}

describe('Services on two real gateways: iptables rules, pod routes and service DNS', function () {
  this.timeout(240_000);
  let fleet: GatewayFleet;
  let clusterIP: string;
  let nodePort: number;
  const netns = (i: number) => fleet.gateways[i]!.gateway.netnsName;

  /** Answers of `count` GETs from inside the client pod (busybox wget; its -T segfaults). */
  const getsFromPod = async (pod: string, url: string, count: number): Promise<string[]> => {
    const script = `for i in $(seq 1 ${count}); do wget -qO- ${url} || echo failed; done`;
    const out = await fleet.kubectl.ok(['exec', pod, '--', 'sh', '-c', script]);
    return out.trim().split('\n');
  };

  before(async function () {
    skipUnlessRuntimeHost(this);
    fleet = await startGatewayFleet(nodes);
    await fleet.kubectl.ok(['apply', '-f', '-'], manifest(fleet.gateways[0]!.busyboxImage));
    const service = JSON.parse(await fleet.kubectl.ok(['get', 'service', 'web', '-o', 'json']));
    clusterIP = service.spec.clusterIP;
    nodePort = service.spec.ports[0].nodePort;
    await eventually(
      async () => {
        const pods = JSON.parse(await fleet.kubectl.ok(['get', 'pods', '-o', 'json'])).items;
        return (
          pods.length === 3 &&
          pods.every((p: any) =>
            p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
          )
        );
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${fleet.agentOutput()}`);
    });
  });

  after(() => fleet?.teardown());

  it('spreads ClusterIP traffic from a gateway over backends on both gateways', async () => {
    const answers = await eventually(
      async () => {
        const got = await getsFromGateway(netns(0), `http://${clusterIP}/`, 20);
        return got.includes('web-a') && got.includes('web-b') ? got : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${fleet.agentOutput()}`);
    });
    assert.ok(
      answers!.every((a) => a === 'web-a' || a === 'web-b'),
      answers!.join(','),
    );
  });

  it('resolves the Service name inside a pod and spreads its requests over both gateways', async () => {
    const answers = await eventually(
      async () => {
        const got = await getsFromPod('client', 'http://web/', 20);
        return got.includes('web-a') && got.includes('web-b') ? got : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    );
    assert.ok(
      answers!.every((a) => a === 'web-a' || a === 'web-b'),
      answers!.join(','),
    );
    const fqdn = await getsFromPod('client', 'http://web.default.svc.cluster.local/', 4);
    assert.ok(
      fqdn.every((a) => a === 'web-a' || a === 'web-b'),
      fqdn.join(','),
    );
  });

  it('lets a backend reach itself through its own Service (hairpin)', async () => {
    const answers = await getsFromPod('web-a', `http://${clusterIP}/`, 20);
    assert.ok(answers.includes('web-a'), `web-a reached itself: ${answers.join(',')}`);
    assert.ok(!answers.includes('failed'), answers.join(','));
  });

  it('answers on the NodePort of a gateway from outside it', async () => {
    const address = fleet.gateways[1]!.gateway.address;
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { stdout } = await run('curl', ['-sS', '-m', '2', `http://${address}:${nodePort}/`]);
      answers.push(stdout.trim());
    }
    assert.ok(answers.includes('web-a') && answers.includes('web-b'), answers.join(','));
  });

  it('keeps traffic flowing while an agent restarts: its rules stay and are replaced in place', async () => {
    let stop = false;
    const failures: string[] = [];
    let served = 0;
    const loop = (async () => {
      while (!stop) {
        const [answer] = await getsFromGateway(netns(0), `http://${clusterIP}/`, 1);
        if (answer === 'failed') failures.push(new Date().toISOString());
        else served++;
      }
    })();
    const agent = fleet.agents[0]!;
    await agent.stop();
    fleet.agents[0] = await agent.restart();
    await eventually(() => / proxy: \S+ rules for .* synced/.test(fleet.agents[0]!.output()), {
      timeoutMs: 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    stop = true;
    await loop;
    assert.ok(served > 10, `served ${served}`);
    assert.deepEqual(failures, [], `requests failed during the restart (${served} served)`);
  });

  it('stops sending traffic to a deleted backend', async () => {
    await fleet.kubectl.ok(['delete', 'pod', 'web-b', '--wait=true']);
    await eventually(
      async () => (await getsFromGateway(netns(0), `http://${clusterIP}/`, 20)).every((a) => a === 'web-a'),
      { timeoutMs: 30_000, intervalMs: 1_000 },
    );
  });

  it('leaves no rule behind after cleanup-rules', async () => {
    const agent = fleet.agents[0]!;
    await agent.stop();
    const cleaned = await run('ip', [
      'netns',
      'exec',
      netns(0),
      process.execPath,
      flotillaBin,
      'agent',
      'cleanup-rules',
    ]);
    assert.match(cleaned.stdout, /FLOTILLA|removed/);
    const { stdout } = await run('ip', ['netns', 'exec', netns(0), 'iptables-save']);
    assert.doesNotMatch(stdout, /FLOTILLA/);
    const routes = await run('ip', ['-n', netns(0), 'route', 'show', 'proto', '249']);
    assert.equal(routes.stdout.trim(), '', 'no pod routes left');
    const links = await run('ip', ['-n', netns(0), 'link', 'show']);
    assert.doesNotMatch(links.stdout, /flotilla-dns0/);
    const answers = await getsFromGateway(netns(0), `http://${clusterIP}/`, 2);
    assert.deepEqual(answers, ['failed', 'failed']);
  });
});
