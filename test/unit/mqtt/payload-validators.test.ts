import assert from 'node:assert/strict';
import { decodePayload } from '../../../api/mqtt/codec.js';
import { payloadExamples } from '../../../api/mqtt/payload-examples.js';
import { type Route, routes } from '../../../api/mqtt/route-table.js';

function errorOf(route: Route, value: unknown): string {
  const verdict = route.validate(value);
  assert.equal(verdict.ok, false, 'expected the payload to be refused');
  return verdict.ok ? '' : verdict.error;
}

const registration = () => structuredClone(payloadExamples.register) as Record<string, any>;

describe('MQTT payload validators', () => {
  it('name the payload itself when it is not an object', () => {
    assert.equal(errorOf(routes.heartbeat, 3), 'payload: Invalid value: 3: must be an object');
    assert.equal(errorOf(routes.heartbeat, [1]), 'payload: Invalid value: [1]: must be an object');
  });

  it('name each missing or mistyped field of a heartbeat', () => {
    assert.equal(errorOf(routes.heartbeat, {}), 't: Required value; s: Required value');
    assert.equal(
      errorOf(routes.heartbeat, { t: 'x', s: -1 }),
      't: Invalid value: "x": must be an integer; s: Invalid value: -1: must be a non-negative safe integer',
    );
    assert.equal(
      errorOf(routes.heartbeat, { t: 1.5e15, s: 1 }),
      't: Invalid value: 1500000000000000: must be milliseconds since the epoch',
    );
  });

  it('require the well-known node labels in a registration', () => {
    const reg = registration();
    delete reg.labels['kubernetes.io/hostname'];
    assert.equal(errorOf(routes.register, reg), 'labels[kubernetes.io/hostname]: Required value');
  });

  it('check registration quantities, taints, addresses and the arch label', () => {
    assert.match(
      errorOf(routes.register, { ...registration(), capacity: { cpu: 'lots' } }),
      /^capacity\[cpu\]: Invalid value: "lots": quantities must match/,
    );
    assert.equal(
      errorOf(routes.register, { ...registration(), taints: [{ key: 'a', effect: 'Sometimes' }] }),
      'taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    );
    const reg = registration();
    reg.nodeInfo.architecture = 'amd64';
    assert.equal(
      errorOf(routes.register, reg),
      'labels[kubernetes.io/arch]: Invalid value: "arm64": must equal nodeInfo.architecture ("amd64")',
    );
    assert.equal(
      errorOf(routes.register, { ...registration(), addresses: [{ type: 'Public', address: '' }] }),
      'addresses[0].type: Unsupported value: "Public": supported values: "InternalIP", "ExternalIP", "Hostname", "InternalDNS", "ExternalDNS"; addresses[0].address: Required value',
    );
  });

  it('refuse a bad pod status item alone, with its index, and keep the rest of the batch', () => {
    const good = (name: string) => ({ namespace: 'default', name, uid: 'u', observedAt: 1, status: {} });
    const bad = { ...good('x'), status: { phase: 'Runnin' } };
    const verdict = routes.podStatus.validate({ items: [good('a'), bad, null, good('b')] });
    assert.ok(verdict.ok);
    assert.deepEqual(
      verdict.value.items.map((item) => item.name),
      ['a', 'b'],
    );
    assert.deepEqual(verdict.itemIndexes, [0, 3]);
    assert.deepEqual(verdict.refused, [
      {
        index: 1,
        reason:
          'items[1].status.phase: Unsupported value: "Runnin": supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"',
      },
      { index: 2, reason: 'items[2]: Invalid value: null: must not be null' },
    ]);
  });

  it('refuse a whole batch only for its envelope', () => {
    assert.equal(
      errorOf(routes.podStatus, { items: Array.from({ length: 201 }, () => ({})) }),
      'items: Invalid value: 201: must have at most 200 items',
    );
    assert.equal(errorOf(routes.events, { items: 'x' }), 'items: Invalid value: "x": must be an array');
  });

  it('refuse null list elements inside an item', () => {
    const item = {
      namespace: 'default',
      name: 'x',
      uid: 'u',
      observedAt: 1,
      status: { conditions: [null], containerStatuses: [{ name: 'c', restartCount: 'x' }] },
    };
    const verdict = routes.podStatus.validate({ items: [item] });
    assert.ok(verdict.ok);
    assert.equal(
      verdict.refused?.[0]?.reason,
      'items[0].status.conditions[0]: Invalid value: null: must not be null; items[0].status.containerStatuses[0].restartCount: Invalid value: "x": must be an integer',
    );
  });

  it('require a namespace for events about pods', () => {
    const event = {
      involvedObject: { kind: 'Pod', name: 'p' },
      type: 'Normal',
      reason: 'Started',
      message: 'm',
      observedAt: 1,
    };
    const verdict = routes.events.validate({ items: [event] });
    assert.ok(verdict.ok);
    assert.deepEqual(verdict.value.items, []);
    assert.deepEqual(verdict.refused, [
      { index: 0, reason: 'items[0].involvedObject.namespace: Required value' },
    ]);
  });

  it('require uid and spec of every desired pod', () => {
    const state = {
      ...payloadExamples.desired,
      pods: [{ metadata: { name: 'p', namespace: 'd' }, spec: {} }],
    };
    assert.equal(errorOf(routes.desired, state), 'pods[0].metadata.uid: Required value');
  });

  it('accept a desired state with or without a pod CIDR', () => {
    const { podCIDR: _cidr, podCIDRs: _cidrs, ...without } = payloadExamples.desired;
    assert.equal(routes.desired.validate(without).ok, true);
    assert.equal(routes.desired.validate(payloadExamples.desired).ok, true);
  });

  it('require the pod CIDR of a desired state to be an IPv4 CIDR the agent can bridge', () => {
    const withCidr = (podCIDR: unknown) => ({ ...payloadExamples.desired, podCIDR, podCIDRs: undefined });
    assert.equal(
      errorOf(routes.desired, withCidr('10.42.1.0')),
      'podCIDR: Invalid value: "10.42.1.0": must be an IPv4 CIDR such as 10.42.1.0/24',
    );
    assert.equal(
      errorOf(routes.desired, withCidr('fd00::/64')),
      'podCIDR: Invalid value: "fd00::/64": must be an IPv4 CIDR such as 10.42.1.0/24',
    );
    assert.equal(
      errorOf(routes.desired, withCidr('10.42.1.300/24')),
      'podCIDR: Invalid value: "10.42.1.300/24": must be an IPv4 CIDR such as 10.42.1.0/24',
    );
    assert.equal(
      errorOf(routes.desired, withCidr('10.42.1.0/31')),
      'podCIDR: Invalid value: "10.42.1.0/31": must have a prefix length of 8 to 30 bits',
    );
    assert.equal(errorOf(routes.desired, withCidr(24)), 'podCIDR: Invalid value: 24: must be a string');
    assert.equal(
      errorOf(routes.desired, { ...payloadExamples.desired, podCIDRs: ['10.42.1.0/24', 'x'] }),
      'podCIDRs[1]: Invalid value: "x": must be a valid CIDR',
    );
  });

  it('keep request ids to one topic level', () => {
    assert.equal(
      errorOf(routes.logsRequest, { id: 'a/b', replyTo: 'x', namespace: 'd', pod: 'p' }),
      'id: Invalid value: "a/b": must match ^[A-Za-z0-9_-]{1,64}$',
    );
  });

  it('check enums of presence and counts of acks', () => {
    assert.equal(
      errorOf(routes.presence, { state: 'away' }),
      'state: Unsupported value: "away": supported values: "online", "offline"',
    );
    assert.equal(
      errorOf(routes.ack, { revision: -1, observedAt: 1 }),
      'revision: Invalid value: -1: must be a non-negative safe integer',
    );
  });

  it('decode checks size, then JSON, then the validator', () => {
    assert.deepEqual(decodePayload(routes.heartbeat, Buffer.alloc(200, 'x')), {
      ok: false,
      error: 'payload: 200 bytes is more than the 128 allowed on heartbeat',
    });
    assert.deepEqual(decodePayload(routes.heartbeat, ''), {
      ok: false,
      error: 'payload: empty (a cleared retained message)',
    });
    const notJson = decodePayload(routes.heartbeat, '{x');
    assert.ok(!notJson.ok && notJson.error.startsWith('payload: not JSON'));
    assert.deepEqual(decodePayload(routes.heartbeat, '{"t":1,"s":2,"extra":true}'), {
      ok: true,
      value: { t: 1, s: 2, extra: true },
    });
  });
});
