import assert from 'node:assert/strict';
import type { Site } from '../../../api/site-inventory.js';
import type { KubeObject } from '../../../api/types.js';
import { initializedNode, instanceTypeOf, siteInstanceMetadata } from '../../../hub/cloud/node-metadata.js';

const site: Site = {
  metadata: { name: 'plant-a' },
  spec: { region: 'eu-west', zone: 'hall-3', labels: { 'flotilla.io/line': '4' } },
};

const aNode = (extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'gw-1',
    labels: { 'kubernetes.io/hostname': 'gw-1' },
    annotations: { 'flotilla.io/hardware-model': 'Raspberry Pi 4 Model B Rev 1.4' },
  },
  spec: {
    taints: [{ key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' }],
  },
  ...extra,
});

describe('node metadata from the site inventory', () => {
  it('turns a hardware model into an instance-type label value', () => {
    assert.equal(instanceTypeOf('Raspberry Pi 4 Model B Rev 1.4'), 'Raspberry-Pi-4-Model-B-Rev-1.4');
    assert.equal(instanceTypeOf('  (Siemens) IOT2050 / Advanced  '), 'Siemens-IOT2050-Advanced');
    assert.equal(instanceTypeOf('x'.repeat(80)).length, 63);
    assert.equal(instanceTypeOf(undefined), '');
  });

  it('initializes a gateway: providerID, topology, instance type, site labels, uninitialized taint gone', () => {
    const changes = initializedNode(aNode(), siteInstanceMetadata(site, aNode()), false);
    assert.deepEqual(changes, {
      providerID: 'flotilla://plant-a/gw-1',
      labels: {
        'kubernetes.io/hostname': 'gw-1',
        'flotilla.io/line': '4',
        'topology.kubernetes.io/region': 'eu-west',
        'topology.kubernetes.io/zone': 'hall-3',
        'node.kubernetes.io/instance-type': 'Raspberry-Pi-4-Model-B-Rev-1.4',
      },
      taints: [],
    });
  });

  it('lifts the uninitialized taint of a gateway no site knows, and sets nothing else', () => {
    assert.deepEqual(initializedNode(aNode(), undefined, false), {
      labels: { 'kubernetes.io/hostname': 'gw-1' },
      taints: [],
    });
  });

  it('keeps the shutdown taint exactly while the gateway is powered off, and another providerID as it is', () => {
    const node = aNode({ spec: { providerID: 'other://x' } });
    const off = initializedNode(node, siteInstanceMetadata(site, node), true)!;
    assert.equal(off.providerID, 'other://x');
    assert.deepEqual(off.taints, [
      { key: 'node.cloudprovider.kubernetes.io/shutdown', effect: 'NoSchedule' },
    ]);
    const tainted = aNode({
      metadata: { ...aNode().metadata, labels: off.labels },
      spec: { providerID: 'other://x', taints: off.taints },
    });
    assert.equal(initializedNode(tainted, siteInstanceMetadata(site, tainted), true), undefined);
    assert.deepEqual(initializedNode(tainted, siteInstanceMetadata(site, tainted), false)?.taints, []);
  });
});
