import assert from 'node:assert/strict';
import { balancedAllocationScore } from '../../../hub/scheduler/plugins/balanced-allocation.js';
import { leastAllocatedScore } from '../../../hub/scheduler/plugins/least-allocated.js';
import { nodePortsFilter } from '../../../hub/scheduler/plugins/node-ports.js';
import { nodeResourcesFitFilter } from '../../../hub/scheduler/plugins/node-resources-fit.js';
import { podRequests } from '../../../hub/scheduler/resources.js';
import type { TestObject } from '../../helpers/builders.js';
import {
  aLabelledPod,
  aReadyNode,
  boundTo,
  requesting,
  scoresOf,
  snapshotOf,
  verdictOn,
} from '../../helpers/scheduler-builders.js';

const container = (name: string, requests: Record<string, string>, extra: object = {}) => ({
  name,
  image: 'busybox:1',
  resources: { requests },
  ...extra,
});

describe('pod requests', () => {
  it('adds containers, takes the largest init container, and adds overhead', () => {
    const spec = {
      containers: [container('a', { cpu: '250m', memory: '64Mi' }), container('b', { cpu: '250m' })],
      initContainers: [container('migrate', { cpu: '2', memory: '16Mi' })],
      overhead: { cpu: '10m' },
    };
    const { requests } = podRequests(spec);
    assert.equal(requests.milliCPU, 2010);
    assert.equal(requests.memory, 64 * 2 ** 20);
  });

  it('runs sidecars (restartPolicy Always) next to the app and the later init containers', () => {
    const spec = {
      containers: [container('app', { cpu: '500m' })],
      initContainers: [
        container('proxy', { cpu: '300m' }, { restartPolicy: 'Always' }),
        container('setup', { cpu: '1' }),
      ],
    };
    assert.equal(podRequests(spec).requests.milliCPU, 1300); // setup + proxy beats app + proxy
  });

  it('uses limits when requests are absent, and kube defaults for scoring request-less containers', () => {
    const spec = { containers: [{ name: 'a', resources: { limits: { cpu: '1', 'nvidia.com/gpu': '1' } } }] };
    const result = podRequests(spec);
    assert.equal(result.requests.milliCPU, 1000);
    assert.deepEqual(result.requests.extended, { 'nvidia.com/gpu': 1 });
    assert.equal(result.nonZeroMilliCPU, 1000);
    assert.equal(result.nonZeroMemory, 200 * 2 ** 20);
  });
});

describe('NodeResourcesFit', () => {
  it('compares requests with allocatable minus what bound pods request', () => {
    const snapshot = snapshotOf(
      [aReadyNode('a', { cpu: '2', memory: '4Gi' })],
      [boundTo(requesting(aLabelledPod('old'), { cpu: '1500m', memory: '1Gi' }), 'a')],
    );
    assert.equal(
      verdictOn(nodeResourcesFitFilter, requesting(aLabelledPod('fits'), { cpu: '500m' }), snapshot, 'a'),
      undefined,
    );
    assert.deepEqual(
      verdictOn(
        nodeResourcesFitFilter,
        requesting(aLabelledPod('big'), { cpu: '1', memory: '4Gi' }),
        snapshot,
        'a',
      ),
      ['Insufficient cpu', 'Insufficient memory'],
    );
  });

  it('counts pods, ephemeral storage and extended resources', () => {
    const node = aReadyNode('a', { pods: 1 });
    node.status.allocatable['ephemeral-storage'] = '1Gi';
    const snapshot = snapshotOf([node], [boundTo(aLabelledPod('old'), 'a')]);
    const pod = requesting(aLabelledPod('new'), { 'ephemeral-storage': '2Gi', 'example.com/dongle': '1' });
    assert.deepEqual(verdictOn(nodeResourcesFitFilter, pod, snapshot, 'a'), [
      'Too many pods',
      'Insufficient ephemeral-storage',
      'Insufficient example.com/dongle',
    ]);
  });

  it('frees the resources of pods that finish', () => {
    const done = boundTo(requesting(aLabelledPod('job'), { cpu: '2' }), 'a');
    const snapshot = snapshotOf([aReadyNode('a', { cpu: '2' })], [done]);
    const pod = requesting(aLabelledPod('new'), { cpu: '1' });
    assert.deepEqual(verdictOn(nodeResourcesFitFilter, pod, snapshot, 'a'), ['Insufficient cpu']);
    snapshot.upsertPod({ ...done, status: { phase: 'Succeeded' } });
    assert.equal(verdictOn(nodeResourcesFitFilter, pod, snapshot, 'a'), undefined);
  });
});

describe('NodePorts', () => {
  const withHostPort = (pod: TestObject, hostPort: number, extra: object = {}) => {
    pod.spec.containers[0].ports = [{ containerPort: 80, hostPort, protocol: 'TCP', ...extra }];
    return pod;
  };

  it('rejects a host port already taken on the node, by protocol and overlapping host IP', () => {
    const snapshot = snapshotOf(
      [aReadyNode('a')],
      [boundTo(withHostPort(aLabelledPod('old'), 8080, { hostIP: '10.0.0.1' }), 'a')],
    );
    const verdict = (extra: object, port = 8080) =>
      verdictOn(nodePortsFilter, withHostPort(aLabelledPod('new'), port, extra), snapshot, 'a');
    const taken = "node(s) didn't have free ports for the requested pod ports";
    assert.equal(verdict({ hostIP: '10.0.0.1' }), taken);
    assert.equal(verdict({}), taken); // 0.0.0.0 overlaps every address
    assert.equal(verdict({ hostIP: '10.0.0.2' }), undefined);
    assert.equal(verdict({ hostIP: '10.0.0.1', protocol: 'UDP' }), undefined);
    assert.equal(verdict({}, 8081), undefined);
  });
});

describe('resource scoring', () => {
  const snapshot = snapshotOf(
    [aReadyNode('empty', { cpu: '4', memory: '4Gi' }), aReadyNode('half', { cpu: '4', memory: '4Gi' })],
    [boundTo(requesting(aLabelledPod('old'), { cpu: '2', memory: '2Gi' }), 'half')],
  );

  it('LeastAllocated prefers the node with the most cpu and memory left', () => {
    const pod = requesting(aLabelledPod('new'), { cpu: '1', memory: '1Gi' });
    assert.deepEqual(scoresOf(leastAllocatedScore, pod, snapshot), { empty: 75, half: 25 });
  });

  it('BalancedAllocation prefers the node whose cpu and memory use stay even', () => {
    const pod = requesting(aLabelledPod('new'), { cpu: '2', memory: '512Mi' });
    // empty: cpu 50%, memory 12.5% → 100 - 18.75; half: cpu 100%, memory 62.5% → 100 - 18.75
    assert.deepEqual(scoresOf(balancedAllocationScore, pod, snapshot), { empty: 81, half: 81 });
    const even = requesting(aLabelledPod('even'), { cpu: '1', memory: '1Gi' });
    assert.deepEqual(scoresOf(balancedAllocationScore, even, snapshot), { empty: 100, half: 100 });
    const lopsided = requesting(aLabelledPod('cpu-only'), { cpu: '2' });
    assert.deepEqual(scoresOf(balancedAllocationScore, lopsided, snapshot), { empty: 75, half: 75 });
  });
});
