import assert from 'node:assert/strict';
import { routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aRegistration,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

describe("edge sync: a gateway registers its own labels, never an admin's", () => {
  let hub: MqttTestHub;
  let gw: Gateway;
  const nodePath = '/api/v1/nodes/gw-labels';
  const labelsOf = async () =>
    (await hub.t.api.get(nodePath)).json().metadata.labels as Record<string, string>;
  const register = async (labels: Record<string, string>) => {
    const reg = aRegistration('gw-labels');
    await gw.send(routes.register, { ...reg, observedAt: Date.now(), labels: { ...reg.labels, ...labels } });
    await hub.edgeSync.idle();
  };

  before(async () => {
    hub = await startMqttTestHub();
    gw = await connectGateway(hub, 'gw-labels');
  });
  after(async () => {
    await gw.client.endAsync(true);
    await hub.close();
  });

  it('records the keys it set, and removes one it no longer sets', async () => {
    await register({ line: '3', camera: 'yes' });
    await eventually(async () => (await labelsOf())?.camera === 'yes');
    const node = (await hub.t.api.get(nodePath)).json();
    assert.ok(node.metadata.annotations['flotilla.io/agent-labels'].split(',').includes('camera'));
    await register({ line: '4' });
    const labels = await eventually(async () => {
      const now = await labelsOf();
      if (now.line !== '4') throw new Error(`line is still ${now.line}`);
      return now;
    });
    assert.equal(labels.line, '4');
    assert.equal(labels.camera, undefined);
    assert.ok(
      !(await hub.t.api.get(nodePath))
        .json()
        .metadata.annotations['flotilla.io/agent-labels'].includes('camera'),
    );
  });

  it('neither overwrites nor removes a label an admin set, nor sets node-restriction.kubernetes.io/ keys', async () => {
    const patched = await hub.t.api.patch(
      nodePath,
      { metadata: { labels: { zone: 'hall-1', 'node-role.example/edge': 'true' } } },
      'application/merge-patch+json',
    );
    assert.equal(patched.status, 200, patched.text);
    await register({ line: '4', zone: 'forged', 'node-restriction.kubernetes.io/trusted': 'yes' });
    await hub.logged('node gw-labels may not set label(s) node-restriction.kubernetes.io/trusted, zone');
    let labels = await labelsOf();
    assert.equal(labels.zone, 'hall-1');
    assert.equal(labels['node-restriction.kubernetes.io/trusted'], undefined);
    // Not setting them any more does not remove them either.
    await register({ line: '4' });
    labels = await labelsOf();
    assert.equal(labels.zone, 'hall-1');
    assert.equal(labels['node-role.example/edge'], 'true');
    assert.equal(labels.line, '4');
  });
});
