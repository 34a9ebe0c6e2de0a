import assert from 'node:assert/strict';
import {
  cpuQuantity,
  memoryQuantity,
  nodeMetricsObject,
  parseGoDuration,
  parseNodeUsage,
  parsePodUsage,
  podMetricsObject,
  windowText,
} from '../../../../hub/apiserver/metrics/usage-documents.js';

const now = new Date('2026-12-07T18:00:00.000Z');

const nodeList = (items: unknown[]) => ({
  kind: 'NodeMetricsList',
  apiVersion: 'metrics.k8s.io/v1beta1',
  metadata: {},
  items,
});
const podList = (items: unknown[]) => ({ ...nodeList(items), kind: 'PodMetricsList' });
const aNodeItem = (name: string, usage: unknown = { cpu: '12345678n', memory: '20480Ki' }) => ({
  metadata: { name, creationTimestamp: '2026-12-07T17:59:58.000Z' },
  timestamp: '2026-12-07T17:59:58.123Z',
  window: '1.002s',
  usage,
});
const aPodItem = (namespace: string, name: string, containers: unknown = []) => ({
  metadata: { name, namespace },
  timestamp: '2026-12-07T17:59:50Z',
  window: '15s',
  containers,
});

describe('metrics.k8s.io usage documents', () => {
  it('prints CPU as kube prints a quantity of nanocores: the largest exact decimal suffix', () => {
    assert.deepEqual(
      [0, 1, 999, 1000, 1500, 250_000_000, 1_000_000_000, 2_500_000_000, 12_345_678, -5].map(cpuQuantity),
      ['0', '1n', '999n', '1u', '1500n', '250m', '1', '2500m', '12345678n', '0'],
    );
  });

  it('prints memory as kube prints a BinarySI quantity: Ki, Mi, Gi when exact, else bytes', () => {
    assert.deepEqual(
      [0, 1000, 4096, 3 * 1024 * 1024 + 4096, 64 * 1024 * 1024, 2 * 1024 ** 3, 1025].map(memoryQuantity),
      ['0', '1000', '4Ki', '3076Ki', '64Mi', '2Gi', '1025'],
    );
  });

  it('reads and prints windows as Go durations', () => {
    assert.equal(parseGoDuration('1.002s'), 1002);
    assert.equal(parseGoDuration('1m30s'), 90_000);
    assert.equal(parseGoDuration('500ms'), 500);
    assert.equal(parseGoDuration('15'), undefined);
    assert.equal(parseGoDuration('-1s'), undefined);
    assert.deepEqual([1002, 15_000, 90_000, 3_600_500, 500].map(windowText), [
      '1.002s',
      '15s',
      '1m30s',
      '1h0m0.5s',
      '500ms',
    ]);
  });

  it("reads a gateway's node reading into numbers", () => {
    const parsed = parseNodeUsage(nodeList([aNodeItem('gw-1')]), 'gw-1');
    assert.deepEqual(parsed.refused, []);
    const reading = parsed.items.get('gw-1');
    assert.equal(reading?.timestamp, '2026-12-07T17:59:58.123Z');
    assert.equal(reading?.windowMs, 1002);
    assert.equal(Math.round(reading?.usage.cpuNanoCores ?? -1), 12_345_678);
    assert.equal(reading?.usage.memoryBytes, 20 * 1024 * 1024);
  });

  it('refuses a node item naming another gateway, or with bad fields, naming the field', () => {
    const parsed = parseNodeUsage(
      nodeList([
        aNodeItem('gw-2'),
        aNodeItem('gw-1', { cpu: 'lots', memory: '1Ki' }),
        aNodeItem('gw-1', { cpu: '-1', memory: '1Ki' }),
        { ...aNodeItem('gw-1'), window: 'a while' },
      ]),
      'gw-1',
    );
    assert.equal(parsed.items.size, 0);
    assert.deepEqual(parsed.refused, [
      'items[0].metadata.name: must be "gw-1"',
      'items[1].usage.cpu: must be a quantity',
      'items[2].usage.cpu: must be a non-negative quantity',
      'items[3].window: must be a duration such as "15s"',
    ]);
    assert.throws(
      () => parseNodeUsage({ kind: 'PodMetricsList', items: [] }, 'gw-1'),
      /not a NodeMetricsList/,
    );
  });

  it('keeps the good pods of an answer and refuses the bad ones alone', () => {
    const parsed = parsePodUsage(
      podList([
        aPodItem('default', 'web', [{ name: 'app', usage: { cpu: '250m', memory: '3076Ki' } }]),
        aPodItem('default', 'broken', [{ name: '', usage: { cpu: '1m', memory: '1Ki' } }]),
        { metadata: { name: 'nameless-ns' }, timestamp: now.toISOString(), window: '1s', containers: [] },
      ]),
    );
    assert.deepEqual([...parsed.items.keys()], ['default/web']);
    assert.deepEqual(parsed.refused, [
      'items[1].containers[0].name: must be a name',
      'items[2].metadata.namespace: must be a namespace',
    ]);
  });

  it('builds NodeMetrics and PodMetrics as metrics-server serves them, labels from the object', () => {
    const node = parseNodeUsage(nodeList([aNodeItem('gw-1')]), 'gw-1').items.get('gw-1')!;
    assert.deepEqual(nodeMetricsObject('gw-1', { site: 'hall-3' }, node, now), {
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'gw-1', creationTimestamp: '2026-12-07T18:00:00Z', labels: { site: 'hall-3' } },
      timestamp: '2026-12-07T17:59:58Z',
      window: '1.002s',
      usage: { cpu: '12345678n', memory: '20Mi' },
    });
    const pods = parsePodUsage(
      podList([aPodItem('default', 'web', [{ name: 'app', usage: { cpu: '0.25', memory: '3149824' } }])]),
    );
    assert.deepEqual(podMetricsObject('default', 'web', undefined, pods.items.get('default/web')!, now), {
      kind: 'PodMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-12-07T18:00:00Z' },
      timestamp: '2026-12-07T17:59:50Z',
      window: '15s',
      containers: [{ name: 'app', usage: { cpu: '250m', memory: '3076Ki' } }],
    });
  });
});
