import assert from 'node:assert/strict';
import { nodeColumns, nodeRoles, nodeRow } from '../../../../hub/apiserver/tables/node-table.js';
import { ago, aNode, now } from './table-builders.js';

describe('node table', () => {
  it('declares NAME STATUS ROLES AGE VERSION LAST-SEEN and the wide columns', () => {
    assert.deepEqual(
      nodeColumns.filter((c) => c.priority === 0).map((c) => c.name),
      ['Name', 'Status', 'Roles', 'Age', 'Version', 'Last-Seen'],
    );
    assert.deepEqual(
      nodeColumns.filter((c) => c.priority === 1).map((c) => c.name),
      ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    );
  });

  it('prints a ready control-plane node', () => {
    const node = aNode('hub-1', { ready: 'True', labels: { 'node-role.kubernetes.io/control-plane': '' } });
    assert.deepEqual(nodeRow(node, now, { leaseRenewTime: () => ago(4) }).cells, [
      'hub-1',
      'Ready',
      'control-plane',
      '3h25m',
      'v1.32.0-flotilla',
      '4s',
      '192.168.1.20',
      '<none>',
      'Debian GNU/Linux 12 (bookworm)',
      '6.1.0-18-arm64',
      'containerd://1.7.24',
    ]);
  });

  it('prints NotReady and Unknown from the Ready condition', () => {
    assert.equal(nodeRow(aNode('gw-1', { ready: 'False' }), now).cells[1], 'NotReady');
    assert.equal(nodeRow(aNode('gw-2', { ready: 'Unknown' }), now).cells[1], 'NotReady');
    assert.equal(nodeRow(aNode('gw-3'), now).cells[1], 'Unknown');
  });

  it("prints LAST-SEEN from the node's Lease renewTime (microseconds), <unknown> without one", () => {
    const renewTimes: Record<string, string> = {
      'gw-1': '2025-06-01T11:55:00.123456Z',
      'gw-2': '2025-06-01T11:59:58.000000Z',
    };
    const lookups = { leaseRenewTime: (name: string) => renewTimes[name] };
    const lastSeen = (name: string) => nodeRow(aNode(name, { ready: 'Unknown' }), now, lookups).cells[5];
    assert.deepEqual(['gw-1', 'gw-2', 'gw-3'].map(lastSeen), ['4m59s', '2s', '<unknown>']);
  });

  it('appends SchedulingDisabled to a cordoned node', () => {
    assert.equal(
      nodeRow(aNode('gw-1', { ready: 'True', unschedulable: true }), now).cells[1],
      'Ready,SchedulingDisabled',
    );
    assert.equal(nodeRow(aNode('gw-2', { unschedulable: true }), now).cells[1], 'Unknown,SchedulingDisabled');
  });

  it('prints <none> for a node without roles', () => {
    assert.equal(
      nodeRow(aNode('gw-1', { ready: 'True', labels: { 'kubernetes.io/os': 'linux' } }), now).cells[2],
      '<none>',
    );
  });

  it('collects roles from both label styles, sorted and de-duplicated', () => {
    assert.deepEqual(
      nodeRoles({
        'node-role.kubernetes.io/worker': '',
        'node-role.kubernetes.io/edge': 'true',
        'kubernetes.io/role': 'edge',
        'node-role.kubernetes.io/': '',
      }),
      ['edge', 'worker'],
    );
  });

  it('prints <unknown> for missing node info in wide columns', () => {
    const node = aNode('bare', { ready: 'True' });
    (node.status as Record<string, unknown>).nodeInfo = {};
    (node.status as Record<string, unknown>).addresses = [];
    assert.deepEqual(nodeRow(node, now).cells.slice(4), [
      '',
      '<unknown>',
      '<none>',
      '<none>',
      '<unknown>',
      '<unknown>',
      '<unknown>',
    ]);
  });
});
