import assert from 'node:assert/strict';
import { configMapRow } from '../../../../hub/apiserver/tables/configmap-table.js';
import { controllerRevisionRow } from '../../../../hub/apiserver/tables/controllerrevision-table.js';
import { endpointsRow } from '../../../../hub/apiserver/tables/endpoints-table.js';
import { endpointSliceRow } from '../../../../hub/apiserver/tables/endpointslice-table.js';
import { eventColumns, eventRow } from '../../../../hub/apiserver/tables/event-table.js';
import { leaseRow } from '../../../../hub/apiserver/tables/lease-table.js';
import { namespaceRow } from '../../../../hub/apiserver/tables/namespace-table.js';
import { secretRow } from '../../../../hub/apiserver/tables/secret-table.js';
import { ago, aWorkload, now } from './table-builders.js';

describe('namespace table', () => {
  it('prints the phase, Active when the store holds none', () => {
    assert.deepEqual(
      namespaceRow(aWorkload('Namespace', 'v1', 'edge', { status: { phase: 'Active' } }), now).cells,
      ['edge', 'Active', '3h25m'],
    );
    assert.equal(namespaceRow(aWorkload('Namespace', 'v1', 'bare', {}), now).cells[1], 'Active');
    const leaving = aWorkload('Namespace', 'v1', 'old', {
      metadata: { name: 'old', deletionTimestamp: ago(5) },
    });
    assert.equal(namespaceRow(leaving, now).cells[1], 'Terminating');
  });
});

describe('configmap and secret tables', () => {
  it('counts data and binaryData keys of a config map', () => {
    const configMap = aWorkload('ConfigMap', 'v1', 'settings', {
      data: { a: '1', b: '2' },
      binaryData: { logo: 'iVBO' },
    });
    assert.deepEqual(configMapRow(configMap, now).cells, ['settings', 3, '3h25m']);
  });

  it('prints the secret type and its key count, Opaque by default', () => {
    const tls = aWorkload('Secret', 'v1', 'tls', {
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'Y3J0', 'tls.key': 'a2V5' },
    });
    assert.deepEqual(secretRow(tls, now).cells, ['tls', 'kubernetes.io/tls', 2, '3h25m']);
    const plain = aWorkload('Secret', 'v1', 'token', {
      stringData: { token: 'abc' },
      data: { token: 'YWJj' },
    });
    assert.deepEqual(secretRow(plain, now).cells.slice(1, 3), ['Opaque', 1]);
  });
});

describe('event table', () => {
  it('shows LAST SEEN TYPE REASON OBJECT MESSAGE by default, the rest with -o wide', () => {
    assert.deepEqual(
      eventColumns.filter((c) => c.priority === 0).map((c) => c.name),
      ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    );
    assert.deepEqual(
      eventColumns.filter((c) => c.priority === 1).map((c) => c.name),
      ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
    );
  });

  it('prints a repeated warning about a pod container', () => {
    const event = aWorkload('Event', 'v1', 'api.17f2a', {
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container api in pod api_default(uid)\n',
      count: 12,
      firstTimestamp: ago(3600),
      lastTimestamp: ago(42),
      involvedObject: { kind: 'Pod', name: 'api', namespace: 'default', fieldPath: 'spec.containers{api}' },
      source: { component: 'kubelet', host: 'gw-1' },
    });
    assert.deepEqual(eventRow(event, now).cells, [
      '42s',
      'Warning',
      'BackOff',
      'pod/api',
      'spec.containers{api}',
      'kubelet, gw-1',
      'Back-off restarting failed container api in pod api_default(uid)',
      '60m',
      12,
      'api.17f2a',
    ]);
  });

  it('falls back to eventTime, reporting fields and a count of one for new-style events', () => {
    const event = aWorkload('Event', 'v1', 'sched.1', {
      type: 'Normal',
      reason: 'Scheduled',
      message: 'Successfully assigned default/web-1 to gw-2',
      eventTime: ago(90),
      involvedObject: { kind: 'Pod', name: 'web-1' },
      reportingComponent: 'flotilla-scheduler',
    });
    const cells = eventRow(event, now).cells;
    assert.deepEqual([cells[0], cells[5], cells[7], cells[8]], ['90s', 'flotilla-scheduler', '90s', 1]);
  });

  it('prints the series of an event series', () => {
    const event = aWorkload('Event', 'v1', 'probe.1', {
      eventTime: ago(1000),
      series: { count: 7, lastObservedTime: ago(15) },
      involvedObject: { kind: 'Node' },
    });
    const cells = eventRow(event, now).cells;
    assert.deepEqual([cells[0], cells[3], cells[8]], ['15s', 'node', 7]);
  });
});

describe('endpoints table', () => {
  it('prints up to three address:port pairs', () => {
    const endpoints = aWorkload('Endpoints', 'v1', 'web', {
      subsets: [
        {
          addresses: [{ ip: '10.42.0.7' }, { ip: '10.42.1.3' }],
          ports: [
            { name: 'http', port: 8080 },
            { name: 'metrics', port: 9090 },
          ],
        },
      ],
    });
    assert.deepEqual(endpointsRow(endpoints, now).cells, [
      'web',
      '10.42.0.7:8080,10.42.1.3:8080,10.42.0.7:9090 + 1 more...',
      '3h25m',
    ]);
  });

  it('prints <none> without subsets and bare addresses without ports', () => {
    assert.equal(endpointsRow(aWorkload('Endpoints', 'v1', 'idle', {}), now).cells[1], '<none>');
    const headless = aWorkload('Endpoints', 'v1', 'db', { subsets: [{ addresses: [{ ip: 'fd00::5' }] }] });
    assert.equal(endpointsRow(headless, now).cells[1], 'fd00::5');
    const v6 = aWorkload('Endpoints', 'v1', 'db6', {
      subsets: [{ addresses: [{ ip: 'fd00::5' }], ports: [{ port: 53 }] }],
    });
    assert.equal(endpointsRow(v6, now).cells[1], '[fd00::5]:53');
  });
});

describe('endpointslice table', () => {
  it('prints the address type, ports and endpoints', () => {
    const slice = aWorkload('EndpointSlice', 'discovery.k8s.io/v1', 'web-abc12', {
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'named' }, {}],
      endpoints: [
        { addresses: ['10.42.0.7'] },
        { addresses: ['10.42.1.3'] },
        { addresses: ['10.42.2.9'] },
        { addresses: ['10.42.3.1'] },
      ],
    });
    assert.deepEqual(endpointSliceRow(slice, now).cells, [
      'web-abc12',
      'IPv4',
      '8080,named,*',
      '10.42.0.7,10.42.1.3,10.42.2.9 + 1 more...',
      '3h25m',
    ]);
    const empty = aWorkload('EndpointSlice', 'discovery.k8s.io/v1', 'idle', { addressType: 'IPv4' });
    assert.deepEqual(endpointSliceRow(empty, now).cells.slice(2, 4), ['<unset>', '<unset>']);
  });
});

describe('lease and controllerrevision tables', () => {
  it('prints the lease holder', () => {
    const lease = aWorkload('Lease', 'coordination.k8s.io/v1', 'gw-1', { spec: { holderIdentity: 'gw-1' } });
    assert.deepEqual(leaseRow(lease, now).cells, ['gw-1', 'gw-1', '3h25m']);
  });

  it('prints the controlling owner as kind.group/name and the revision', () => {
    const revision = aWorkload('ControllerRevision', 'apps/v1', 'agent-5d8f7', {
      metadata: {
        name: 'agent-5d8f7',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u1', controller: true },
        ],
      },
      revision: 3,
    });
    assert.deepEqual(controllerRevisionRow(revision, now).cells, [
      'agent-5d8f7',
      'daemonset.apps/agent',
      3,
      '3h25m',
    ]);
    const orphan = aWorkload('ControllerRevision', 'apps/v1', 'orphan', { revision: 1 });
    assert.equal(controllerRevisionRow(orphan, now).cells[1], '<none>');
  });
});
