import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { deviceId, deviceMetrics, nodeMetrics } from '../../../hub/sparkplug/fleet-metrics.js';

const pod = (name: string, ready: boolean, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...extra },
  spec: {
    containers: [
      { name: 'c', image: 'localhost/app:2' },
      { name: 's', image: 'localhost/side:1' },
    ],
  },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    containerStatuses: [{ restartCount: 2 }, { restartCount: 1 }],
  },
});

const values = (metrics: { name: string; value: unknown }[]) =>
  Object.fromEntries(metrics.map((m) => [m.name, m.value]));

describe('fleet metrics: a gateway and its workloads as Sparkplug metrics', () => {
  it('names a device after its workload, unambiguously', () => {
    assert.equal(
      deviceId({ namespace: 'default', kind: 'deployment', name: 'web' }),
      'default:deployment:web',
    );
  });

  it('reports a gateway from its Node, with null for what it does not know', () => {
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'gw-1', labels: { 'kubernetes.io/arch': 'arm64', 'flotilla.io/site': 'hall-3' } },
      status: { capacity: { cpu: '4', memory: '2Gi' }, conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const got = values(
      nodeMetrics({ node, pods: [pod('a', true), pod('b', false)], lastSeenMs: 1234, online: true }),
    );
    assert.equal(got['Properties/Arch'], 'arm64');
    assert.equal(got['Properties/Site'], 'hall-3');
    assert.equal(got['Properties/Zone'], null);
    assert.equal(got['Capacity/CPU'], 4);
    assert.equal(got['Capacity/Memory'], 2 * 1024 ** 3);
    assert.equal(got['Conditions/Ready'], 'True');
    assert.equal(got['Conditions/DiskPressure'], null);
    assert.equal(got['Pods/Total'], 2);
    assert.equal(got['Last Seen'], 1234);
  });

  it('counts a workload’s pods on the gateway, leaving terminating ones out', () => {
    const key = { namespace: 'default', kind: 'deployment', name: 'web' };
    const got = values(
      deviceMetrics(key, [
        pod('a', true),
        pod('b', false),
        pod('c', true, { deletionTimestamp: '2026-12-07T00:00:00Z' }),
      ]),
    );
    assert.deepEqual(got, {
      'Properties/Namespace': 'default',
      'Properties/Kind': 'deployment',
      'Properties/Name': 'web',
      'Replicas/Desired': 2,
      'Replicas/Ready': 1,
      Available: false,
      Images: 'localhost/app:2, localhost/side:1',
      Restarts: 6,
    });
  });
});
