// What client-go programs (leader election, event recorders) send as protobuf when their client
// is set up for it: Leases and core/v1 Events, whose times are MicroTime, with microseconds.
import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf } from '../../../../hub/apiserver/protobuf/decode-object.js';
import { independentBody } from './independent-types.js';

type Json = Record<string, any>;

const micro = (seconds: number, nanos: number) => ({ seconds, nanos });

describe('decoding Leases and Events from protobuf', () => {
  it('decodes a leader-election Lease, with its times to the microsecond and a zero transition count', () => {
    const body = independentBody('coordination.k8s.io/v1', 'Lease', 'Lease', {
      metadata: { name: 'controller', namespace: 'kube-system', generateName: '' },
      spec: {
        holderIdentity: 'hub-0_5b1f',
        leaseDurationSeconds: 15,
        acquireTime: micro(1_700_000_000, 123_456_789),
        renewTime: micro(1_700_000_010, 5_000),
        leaseTransitions: 0,
      },
    });
    assert.deepEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'controller', namespace: 'kube-system' },
      spec: {
        holderIdentity: 'hub-0_5b1f',
        leaseDurationSeconds: 15,
        acquireTime: '2023-11-14T22:13:20.123456Z',
        renewTime: '2023-11-14T22:13:30.000005Z',
        leaseTransitions: 0,
      },
    });
  });

  it('decodes an Event as the recorder writes it, every plain field present and zero ones left out', () => {
    const event = decodeKubernetesProtobuf(
      independentBody('v1', 'Event', 'Event', {
        metadata: { name: 'web.17a', namespace: 'default' },
        involvedObject: {
          kind: 'Pod',
          namespace: 'default',
          name: 'web',
          uid: 'u-1',
          apiVersion: 'v1',
          resourceVersion: '',
          fieldPath: '',
        },
        reason: 'Pulled',
        message: 'Container image "nginx" already present on machine',
        source: { component: 'flotilla-agent', host: 'gw-1' },
        firstTimestamp: { seconds: 1_700_000_000, nanos: 0 },
        lastTimestamp: { seconds: 1_700_000_060, nanos: 0 },
        count: 2,
        type: 'Normal',
        eventTime: { seconds: 0, nanos: 0 },
        action: '',
        reportingComponent: '',
        reportingInstance: '',
      }),
    ) as Json;
    assert.deepEqual(event.involvedObject, {
      kind: 'Pod',
      namespace: 'default',
      name: 'web',
      uid: 'u-1',
      apiVersion: 'v1',
    });
    assert.deepEqual(event.source, { component: 'flotilla-agent', host: 'gw-1' });
    assert.equal(event.firstTimestamp, '2023-11-14T22:13:20Z');
    assert.equal(event.lastTimestamp, '2023-11-14T22:14:20Z');
    assert.equal(event.count, 2);
    assert.equal(event.eventTime, undefined, 'the zero MicroTime is null in JSON');
    assert.deepEqual(Object.keys(event).sort(), [
      'apiVersion',
      'count',
      'firstTimestamp',
      'involvedObject',
      'kind',
      'lastTimestamp',
      'message',
      'metadata',
      'reason',
      'source',
      'type',
    ]);
  });

  it('decodes a series of an Event with its last observed time', () => {
    const event = decodeKubernetesProtobuf(
      independentBody('v1', 'Event', 'Event', {
        metadata: { name: 'e' },
        eventTime: micro(1_700_000_000, 1_000),
        series: { count: 5, lastObservedTime: micro(1_700_000_300, 999_999_999) },
        reportingComponent: 'flotilla-hub',
        reportingInstance: 'hub-0',
      }),
    ) as Json;
    assert.equal(event.eventTime, '2023-11-14T22:13:20.000001Z');
    assert.deepEqual(event.series, { count: 5, lastObservedTime: '2023-11-14T22:18:20.999999Z' });
    assert.deepEqual([event.reportingComponent, event.reportingInstance], ['flotilla-hub', 'hub-0']);
  });
});
