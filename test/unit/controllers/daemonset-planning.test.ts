import assert from 'node:assert/strict';
import {
  daemonPodTolerations,
  nodeEligibility,
} from '../../../hub/controllers/daemonset/daemon-eligibility.js';
import { countDaemonPods, planDaemonSet } from '../../../hub/controllers/daemonset/daemon-plan.js';
import {
  daemonPodNodeName,
  newDaemonPod,
  pinnedAffinity,
} from '../../../hub/controllers/daemonset/daemon-pod.js';
import { type DaemonSetView, planRollingUpdate } from '../../../hub/controllers/daemonset/daemon-rollout.js';
import { templateHash } from '../../../hub/controllers/objects/controller-revisions.js';
import { scaledValue } from '../../../hub/controllers/objects/int-or-percent.js';
import type { Node, Pod, Taint } from '../../../hub/controllers/objects/kinds.js';

const now = new Date('2025-06-01T12:00:00Z');
const aNode = (name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: { taints },
});

const ds = (
  spec: Record<string, unknown> = {},
  strategy: Record<string, unknown> = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
): DaemonSetView => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default', uid: 'ds-uid' },
  spec: { template: { spec: { containers: [], ...spec } }, updateStrategy: strategy },
});

let serial = 0;
const daemonPod = (
  node: string,
  hash: string,
  state: 'ready' | 'pending' | 'failed' | 'deleting' = 'ready',
): Pod => ({
  metadata: {
    name: `agent-${++serial}`,
    creationTimestamp: `2025-06-01T10:00:${String(serial).padStart(2, '0')}Z`,
    labels: { 'controller-revision-hash': hash },
    ...(state === 'deleting' ? { deletionTimestamp: '2025-06-01T11:00:00Z' } : {}),
  },
  spec: { affinity: pinnedAffinity(undefined, node) },
  status:
    state === 'failed'
      ? { phase: 'Failed' }
      : {
          phase: state === 'ready' ? 'Running' : 'Pending',
          conditions: [{ type: 'Ready', status: state === 'ready' ? 'True' : 'False' }],
        },
});

describe('DaemonSet eligibility', () => {
  it('runs on nodes matching nodeSelector and required node affinity only', () => {
    const spec = {
      nodeSelector: { site: 'a' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'arch', operator: 'In', values: ['arm64'] }] }],
          },
        },
      },
    };
    assert.deepEqual(nodeEligibility(aNode('n1', { site: 'a', arch: 'arm64' }), spec), {
      shouldRun: true,
      shouldContinueRunning: true,
    });
    assert.deepEqual(nodeEligibility(aNode('n2', { site: 'a', arch: 'amd64' }), spec), {
      shouldRun: false,
      shouldContinueRunning: false,
    });
    assert.deepEqual(nodeEligibility(aNode('n3', { arch: 'arm64' }), spec), {
      shouldRun: false,
      shouldContinueRunning: false,
    });
  });

  it('keeps a running daemon on a node tainted NoSchedule but leaves one tainted NoExecute', () => {
    const noSchedule = aNode('n1', {}, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    assert.deepEqual(nodeEligibility(noSchedule, {}), { shouldRun: false, shouldContinueRunning: true });
    const noExecute = aNode('n2', {}, [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    assert.deepEqual(nodeEligibility(noExecute, {}), { shouldRun: false, shouldContinueRunning: false });
    const tolerated = {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute' }],
    };
    assert.deepEqual(nodeEligibility(noExecute, tolerated), { shouldRun: true, shouldContinueRunning: true });
  });

  it('tolerates unreachable, not-ready, pressure and cordoned nodes automatically', () => {
    const taints = [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
    ];
    assert.equal(nodeEligibility(aNode('n1', {}, taints), {}).shouldRun, true);
  });

  it('tolerates an unavailable network only for host-network daemons', () => {
    const node = aNode('n1', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]);
    assert.equal(nodeEligibility(node, {}).shouldRun, false);
    assert.equal(nodeEligibility(node, { hostNetwork: true }).shouldRun, true);
    assert.equal(daemonPodTolerations({ hostNetwork: true }).length, 7);
  });

  it('runs nowhere but the node a template names', () => {
    assert.equal(nodeEligibility(aNode('n1'), { nodeName: 'n2' }).shouldRun, false);
    assert.equal(nodeEligibility(aNode('n2'), { nodeName: 'n2' }).shouldRun, true);
  });
});

describe('DaemonSet pods', () => {
  it("pins a pod to its node with matchFields, replacing the template's required terms", () => {
    const template = {
      metadata: { labels: { app: 'agent' } },
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }],
            },
          },
        },
      },
    };
    const pod = newDaemonPod(ds(), template, 'h1', 'gw-7') as Pod;
    assert.deepEqual(
      pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
      [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gw-7'] }] }],
    );
    assert.equal(daemonPodNodeName(pod), 'gw-7');
    assert.equal(pod.metadata.labels?.['controller-revision-hash'], 'h1');
    assert.equal(pod.metadata.ownerReferences?.[0]?.uid, 'ds-uid');
    assert.equal(pod.spec?.nodeName, undefined);
  });

  it('hashes equal templates alike and different ones (or a collision count) apart', () => {
    const a = { spec: { containers: [{ name: 'c', image: 'x:1' }] }, metadata: { labels: { app: 'a' } } };
    const b = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ image: 'x:1', name: 'c' }] } };
    assert.equal(templateHash(a), templateHash(b));
    assert.notEqual(
      templateHash(a),
      templateHash({ ...a, spec: { containers: [{ name: 'c', image: 'x:2' }] } }),
    );
    assert.notEqual(templateHash(a), templateHash(a, 1));
    assert.match(templateHash(a), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});

describe('DaemonSet planning', () => {
  const nodes = [aNode('n1'), aNode('n2'), aNode('n3')];

  it('creates on nodes without a daemon and removes duplicates, failed pods and pods of vanished nodes', () => {
    const keep = daemonPod('n1', 'h');
    const duplicate = daemonPod('n1', 'h');
    const failed = daemonPod('n2', 'h', 'failed');
    const orphan = daemonPod('gone', 'h');
    const plan = planDaemonSet(ds(), nodes, [keep, duplicate, failed, orphan], 'h', now);
    assert.deepEqual(plan.createOn, ['n3']);
    assert.deepEqual(plan.deletePods.sort(), [duplicate, failed, orphan].map((p) => p.metadata.name).sort());
  });

  it('waits for a terminating pod to go before creating its replacement', () => {
    const plan = planDaemonSet(ds(), [aNode('n1')], [daemonPod('n1', 'h', 'deleting')], 'h', now);
    assert.deepEqual(plan, { createOn: [], deletePods: [] });
  });

  it('replaces old pods while no more than maxUnavailable nodes lack an available one', () => {
    const pods = nodes.map((n) => daemonPod(n.metadata.name!, 'old'));
    assert.equal(planDaemonSet(ds(), nodes, pods, 'new', now).deletePods.length, 1);
    const two = ds({}, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } });
    assert.equal(planDaemonSet(two, nodes, pods, 'new', now).deletePods.length, 2);
    const withPending = [daemonPod('n1', 'new', 'pending'), ...pods.slice(1)];
    assert.deepEqual(planDaemonSet(ds(), nodes, withPending, 'new', now).deletePods, []);
    const onDelete = ds({}, { type: 'OnDelete' });
    assert.deepEqual(planDaemonSet(onDelete, nodes, pods, 'new', now).deletePods, []);
  });

  it('replaces an unavailable old pod at once, whatever the budget', () => {
    const pods = [
      daemonPod('n1', 'new', 'pending'),
      daemonPod('n2', 'old', 'pending'),
      daemonPod('n3', 'old'),
    ];
    const plan = planRollingUpdate(
      ds(),
      nodes.map((n, i) => ({ name: n.metadata.name!, live: [pods[i]!] })),
      'new',
      now,
    );
    assert.deepEqual(plan.deletePods, [pods[1]!.metadata.name]);
  });

  it('with maxSurge starts new pods beside old ones and removes the old once the new are available', () => {
    const surge = ds({}, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const old = nodes.map((n) => daemonPod(n.metadata.name!, 'old'));
    assert.deepEqual(planDaemonSet(surge, nodes, old, 'new', now), { createOn: ['n1'], deletePods: [] });
    const updated = daemonPod('n1', 'new');
    assert.deepEqual(planDaemonSet(surge, nodes, [...old, updated], 'new', now), {
      createOn: ['n2'],
      deletePods: [old[0]!.metadata.name],
    });
  });

  it('scales percentages up', () => {
    assert.equal(scaledValue('25%', 3, true), 1);
    assert.equal(scaledValue('50%', 5, true), 3);
    assert.equal(scaledValue(2, 5, true), 2);
  });

  it("counts status on each node's oldest live pod", () => {
    const tainted = aNode('n4', {}, [{ key: 'x', effect: 'NoSchedule' }]);
    const pods = [
      daemonPod('n1', 'new'),
      daemonPod('n2', 'old'),
      daemonPod('n3', 'new', 'pending'),
      daemonPod('n4', 'old'),
    ];
    assert.deepEqual(countDaemonPods(ds(), [...nodes, tainted], pods, 'new', now), {
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberMisscheduled: 1,
      numberReady: 2,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
      numberUnavailable: 1,
    });
  });
});
