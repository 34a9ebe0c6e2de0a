import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import {
  type AgentUnderTest,
  type HubUnderTest,
  removeDir,
  startAgentUnderTest,
  startHubUnderTest,
} from './agent-harness.js';

const node = 'gw-tokens';

function claimsOf(token: string): any {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

describe("edge agent: the pod's ServiceAccount token volume (fake runtime)", function () {
  this.timeout(40_000);
  const hubDir = tempDir('agent-sa-hub');
  const agentDir = tempDir('agent-sa-gw');
  let hub: HubUnderTest;
  let gw: AgentUnderTest;

  before(async () => {
    hub = await startHubUnderTest(hubDir);
    // A 3607 s token renewed after 0.05% of its lifetime (about 1.8 s) instead of 80%.
    gw = await startAgentUnderTest(hub, node, {
      dataDir: agentDir,
      fakeRuntime: new FakeRuntime(),
      realPods: true,
      tokenPolicy: { refreshFraction: 0.0005 },
    });
  });
  after(async () => {
    await gw?.agent.stop();
    await hub?.hub.stop();
    removeDir(hubDir);
    removeDir(agentDir);
  });

  it('writes token, ca.crt and namespace, the token valid for this pod, and renews it', async () => {
    const res = await hub.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'operator', namespace: 'default' },
      spec: { nodeName: node, containers: [{ name: 'app', image: 'docker.io/library/busybox:1.36' }] },
    });
    assert.equal(res.status, 201, res.text);
    const pod = res.json();
    const volume = pod.spec.volumes[0].name as string;
    const dir = join(agentDir, 'pods', pod.metadata.uid, 'volumes', 'projected', volume);
    await eventually(async () => {
      const found = (await hub.api.get('/api/v1/namespaces/default/pods/operator')).json();
      return found.status?.phase === 'Running';
    });
    assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), hub.hub.caPem);
    assert.equal(readFileSync(join(dir, 'namespace'), 'utf8'), 'default');
    const first = readFileSync(join(dir, 'token'), 'utf8');
    const claims = claimsOf(first);
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'operator', uid: pod.metadata.uid });
    assert.equal(claims['kubernetes.io'].node.name, node);
    const whoami = (token: string) =>
      hub.api.withToken(token).post('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      });
    const user = (await whoami(first)).json().status.userInfo;
    assert.equal(user.username, 'system:serviceaccount:default:default');
    assert.deepEqual(user.extra['authentication.kubernetes.io/pod-name'], ['operator']);

    const renewed = (await eventually(
      () => {
        const now = readFileSync(join(dir, 'token'), 'utf8');
        return now !== first ? now : false;
      },
      { timeoutMs: 15_000 },
    )) as string;
    assert.notEqual(claimsOf(renewed).jti, claims.jti);
    assert.equal((await whoami(renewed)).status, 201);
  });
});
