import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conflistFileName } from '../../../edge-agent/runtime/pod-network.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { type AgentUnderTest, removeDir, startAgentUnderTest } from './agent-harness.js';
import { FakePodManager } from './fake-pod-manager.js';

const node = 'gw-podnet';

describe('pod CIDR from node IPAM to the edge agent', function () {
  this.timeout(30_000);
  let hub: TestHub;
  let gw: AgentUnderTest | undefined;

  before(async () => {
    hub = await startTestHub(undefined, { controllers: ['namespace', 'node-ipam'] });
  });
  afterEach(async () => {
    await gw?.agent.stop();
    if (gw) removeDir(gw.dataDir);
    gw = undefined;
  });
  after(async () => hub.close());

  const mqtt = () => ({
    mqttUrl: hub.hub.mqtt.mqttUrl,
    token: readFileSync(join(hub.dataDir, 'node-token'), 'utf8').trim(),
  });

  it("assumes the runtime's own CNI when it has no conf dir to write", async () => {
    gw = await startAgentUnderTest(mqtt(), `${node}-0`);
    assert.equal(gw.agent.podNetwork.ready(), true);
  });

  it('writes the bridge conflist for the podCIDR node IPAM gave the Node', async () => {
    const dataDir = tempDir(`agent-${node}`);
    const confDir = join(dataDir, 'cni-conf');
    let readyAtStart: boolean | undefined;
    let readyFromDeps: (() => boolean) | undefined;
    gw = await startAgentUnderTest(mqtt(), node, {
      dataDir,
      cniConfDir: confDir,
      realPods: true,
      podManager: (deps) => {
        readyFromDeps = deps.podCidrReady;
        readyAtStart = deps.podCidrReady();
        return new FakePodManager(deps);
      },
    });
    assert.equal(readyAtStart, false);
    const nodeObj = await eventually(async () => {
      const res = await hub.api.get(`/api/v1/nodes/${node}`);
      const body = res.status === 200 ? res.json() : undefined;
      return body?.spec?.podCIDR ? body : false;
    });
    const podCIDR: string = nodeObj.spec.podCIDR;
    assert.match(podCIDR, /^10\.42\.\d+\.0\/24$/);
    await eventually(() => gw?.agent.podNetwork.podCidr === podCIDR);
    assert.equal(gw.agent.podNetwork.ready(), true);
    assert.equal(readyFromDeps?.(), true);
    const conflist = JSON.parse(readFileSync(join(confDir, conflistFileName), 'utf8'));
    assert.deepEqual(conflist.plugins[0].ipam.ranges, [
      [{ subnet: podCIDR, gateway: podCIDR.replace(/0\/24$/, '1') }],
    ]);
    assert.equal(conflist.plugins[0].ipam.dataDir, join(dataDir, 'cni-ipam'));
    assert.match(conflist.plugins[0].bridge, /^cni-fl[0-9a-f]{8}$/);
    assert.equal(gw.agent.localState.desired()?.podCIDR, podCIDR);
  });

  it('knows the pod CIDR from local state after a restart without the hub', async () => {
    const dataDir = tempDir(`agent-${node}-offline`);
    const confDir = join(dataDir, 'cni-conf');
    gw = await startAgentUnderTest(mqtt(), `${node}-2`, { dataDir, cniConfDir: confDir });
    assert.equal(gw.agent.podNetwork.ready(), false);
    await eventually(() => gw?.agent.podNetwork.ready());
    const podCIDR = gw.agent.podNetwork.podCidr;
    await gw.agent.stop();

    // No hub at all; the bare token is enough because the first run kept the hub's CA.
    gw = await startAgentUnderTest({ mqttUrl: 'mqtts://127.0.0.1:1', token: 'x' }, `${node}-2`, {
      dataDir,
      cniConfDir: confDir,
    });
    assert.equal(gw.agent.podNetwork.ready(), true);
    assert.equal(gw.agent.podNetwork.podCidr, podCIDR);
    assert.ok(existsSync(join(confDir, conflistFileName)));
  });
});
