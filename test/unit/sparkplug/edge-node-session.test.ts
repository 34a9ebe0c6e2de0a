import assert from 'node:assert/strict';
import { DataType } from '../../../api/sparkplug/payload.js';
import {
  EdgeNodeSession,
  type EdgeNodeSnapshot,
  type MetricSpec,
} from '../../../hub/sparkplug/edge-node-session.js';
import { SparkplugHost } from '../../helpers/sparkplug-host.js';

const node = (running: number): MetricSpec[] => [
  { name: 'Node Control/Rebirth', datatype: DataType.Boolean, value: false },
  { name: 'Pods/Running', datatype: DataType.UInt32, value: running },
  { name: 'Properties/Arch', datatype: DataType.String, value: 'arm64' },
];
const device = (ready: number): MetricSpec[] => [
  { name: 'Replicas/Ready', datatype: DataType.UInt32, value: ready },
  { name: 'Images', datatype: DataType.String, value: 'localhost/app:1' },
];
const snapshot = (running: number, devices: Record<string, number>): EdgeNodeSnapshot => ({
  node: node(running),
  devices: new Map(Object.entries(devices).map(([id, ready]) => [id, device(ready)])),
});

describe('EdgeNodeSession: the Sparkplug sequence rules of one edge node', () => {
  let host: SparkplugHost;
  let session: EdgeNodeSession;
  beforeEach(() => {
    host = new SparkplugHost('g');
    session = new EdgeNodeSession(
      'g',
      'gw-1',
      (topic, payload) => host.receive(topic, payload),
      () => 1000,
    );
  });

  it('publishes nothing before its birth', () => {
    session.update(snapshot(1, { 'ns:deployment:a': 1 }));
    assert.equal(host.messages.length, 0);
  });

  it('births the node with bdSeq and every metric, then each device', () => {
    session.birth(4, snapshot(1, { 'ns:deployment:a': 1, 'ns:deployment:b': 0 }));
    assert.deepEqual(
      host.messages.map((m) => [m.type, m.device, m.payload.seq]),
      [
        ['NBIRTH', undefined, 0],
        ['DBIRTH', 'ns:deployment:a', 1],
        ['DBIRTH', 'ns:deployment:b', 2],
      ],
    );
    assert.equal(host.node('gw-1')?.bdSeq, 4);
    assert.equal(host.value('gw-1', 'Properties/Arch'), 'arm64');
    assert.equal(host.value('gw-1', 'Replicas/Ready', 'ns:deployment:a'), 1);
    assert.deepEqual(host.violations, []);
  });

  it('sends only changed metrics, by alias, and DDEATH/DBIRTH as devices go and come', () => {
    session.birth(0, snapshot(1, { a: 1, b: 1 }));
    session.update(snapshot(2, { a: 1, b: 1 }));
    const ndata = host.messages.at(-1)!;
    assert.equal(ndata.type, 'NDATA');
    assert.equal(ndata.payload.metrics.length, 1);
    assert.equal(ndata.payload.metrics[0]?.name, undefined);
    session.update(snapshot(2, { a: 0, c: 1 }));
    assert.deepEqual(
      host.messages.slice(-3).map((m) => [m.type, m.device]),
      [
        ['DDEATH', 'b'],
        ['DDATA', 'a'],
        ['DBIRTH', 'c'],
      ],
    );
    session.update(snapshot(2, { a: 0, c: 1 }));
    assert.equal(host.messages.length, 7, 'nothing changed, nothing sent');
    assert.equal(host.value('gw-1', 'Pods/Running'), 2);
    assert.equal(host.value('gw-1', 'Replicas/Ready', 'a'), 0);
    assert.deepEqual(host.violations, []);
  });

  it('wraps seq from 255 to 0 and starts again at 0 on a rebirth', () => {
    session.birth(0, snapshot(0, {}));
    for (let i = 1; i <= 300; i++) session.update(snapshot(i, {}));
    assert.equal(host.messages.at(-1)?.payload.seq, 300 % 256);
    session.birth(0, snapshot(0, { a: 1 }));
    assert.deepEqual(
      host.messages.slice(-2).map((m) => m.payload.seq),
      [0, 1],
    );
    assert.deepEqual(host.violations, []);
  });

  it('gives every metric of the node and its devices its own alias', () => {
    session.birth(0, snapshot(0, { a: 1, b: 1 }));
    const aliases = host.messages
      .flatMap((m) => m.payload.metrics.map((x) => x.alias))
      .filter((a) => a !== undefined);
    assert.equal(new Set(aliases).size, aliases.length);
    assert.equal(aliases.length, 3 + 2 + 2);
  });

  it('stops at end() until the next birth', () => {
    session.birth(0, snapshot(0, {}));
    session.end();
    session.update(snapshot(5, {}));
    assert.equal(host.messages.length, 1);
  });
});
