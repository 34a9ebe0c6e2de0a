import assert from 'node:assert/strict';
import { ingressColumns, ingressRow } from '../../../../hub/apiserver/tables/ingress-table.js';
import {
  persistentVolumeColumns,
  persistentVolumeRow,
} from '../../../../hub/apiserver/tables/persistentvolume-table.js';
import {
  persistentVolumeClaimColumns,
  persistentVolumeClaimRow,
} from '../../../../hub/apiserver/tables/persistentvolumeclaim-table.js';
import {
  replicationControllerColumns,
  replicationControllerRow,
} from '../../../../hub/apiserver/tables/replicationcontroller-table.js';
import { statefulSetColumns, statefulSetRow } from '../../../../hub/apiserver/tables/statefulset-table.js';
import { aWorkload, now, webTemplate } from './table-builders.js';

const names = (columns: readonly { name: string; priority: number }[], priority: number) =>
  columns.filter((c) => c.priority === priority).map((c) => c.name);

describe('statefulset and replicationcontroller tables', () => {
  it('prints a StatefulSet as READY ready/desired', () => {
    assert.deepEqual(names(statefulSetColumns, 0), ['Name', 'Ready', 'Age']);
    assert.deepEqual(names(statefulSetColumns, 1), ['Containers', 'Images']);
    const set = aWorkload('StatefulSet', 'apps/v1', 'db', {
      spec: { replicas: 3, template: webTemplate },
      status: { readyReplicas: 2 },
    });
    assert.deepEqual(statefulSetRow(set, now).cells, [
      'db',
      '2/3',
      '3h25m',
      'web,sidecar',
      'nginx:1.27,busybox:1.36',
    ]);
  });

  it('prints a ReplicationController with its label-map selector', () => {
    assert.deepEqual(names(replicationControllerColumns, 0), ['Name', 'Desired', 'Current', 'Ready', 'Age']);
    const rc = aWorkload('ReplicationController', 'v1', 'legacy', {
      spec: { replicas: 2, selector: { tier: 'front', app: 'web' }, template: webTemplate },
      status: { replicas: 2, readyReplicas: 1 },
    });
    assert.deepEqual(replicationControllerRow(rc, now).cells, [
      'legacy',
      2,
      2,
      1,
      '3h25m',
      'web,sidecar',
      'nginx:1.27,busybox:1.36',
      'app=web,tier=front',
    ]);
  });
});

describe('volume and claim tables', () => {
  it('prints a bound volume with its claim as namespace/name and access modes in short form', () => {
    assert.deepEqual(names(persistentVolumeColumns, 1), ['VolumeMode']);
    const pv = aWorkload('PersistentVolume', 'v1', 'disk-1', {
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'local',
        claimRef: { namespace: 'plant', name: 'data-db-0' },
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    });
    assert.deepEqual(persistentVolumeRow(pv, now).cells, [
      'disk-1',
      '5Gi',
      'RWO,RWX',
      'Retain',
      'Bound',
      'plant/data-db-0',
      'local',
      '<unset>',
      '',
      '3h25m',
      'Filesystem',
    ]);
  });

  it('prints capacity and access modes of a claim only once it names its volume', () => {
    const pending = aWorkload('PersistentVolumeClaim', 'v1', 'data', {
      spec: { storageClassName: 'local', resources: { requests: { storage: '1Gi' } } },
      status: { phase: 'Pending' },
    });
    assert.deepEqual(persistentVolumeClaimRow(pending, now).cells, [
      'data',
      'Pending',
      '',
      '',
      '',
      'local',
      '<unset>',
      '3h25m',
      '<unset>',
    ]);
    const bound = aWorkload('PersistentVolumeClaim', 'v1', 'data', {
      spec: { volumeName: 'disk-1', storageClassName: 'local', volumeMode: 'Filesystem' },
      status: { phase: 'Bound', capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOncePod'] },
    });
    assert.deepEqual(persistentVolumeClaimRow(bound, now).cells.slice(0, 5), [
      'data',
      'Bound',
      'disk-1',
      '5Gi',
      'RWOP',
    ]);
    assert.deepEqual(names(persistentVolumeClaimColumns, 1), ['VolumeMode']);
  });
});

describe('ingress table', () => {
  it('prints class, three hosts and how many more rules, sorted addresses, and 443 with TLS', () => {
    assert.deepEqual(names(ingressColumns, 0), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
    const ingress = aWorkload('Ingress', 'networking.k8s.io/v1', 'web', {
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['a.example.com'] }],
        rules: [
          { host: 'a.example.com' },
          { host: 'b.example.com' },
          {},
          { host: 'c.example.com' },
          { host: 'd.example.com' },
        ],
      },
      status: {
        loadBalancer: { ingress: [{ ip: '10.0.0.9' }, { hostname: 'lb.example.com' }, { ip: '10.0.0.9' }] },
      },
    });
    assert.deepEqual(ingressRow(ingress, now).cells, [
      'web',
      'nginx',
      'a.example.com,b.example.com,c.example.com + 2 more...',
      '10.0.0.9,lb.example.com',
      '80, 443',
      '3h25m',
    ]);
  });

  it('prints * for no hosts and <none> for no class', () => {
    const ingress = aWorkload('Ingress', 'networking.k8s.io/v1', 'catch-all', {
      spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
    });
    assert.deepEqual(ingressRow(ingress, now).cells.slice(0, 5), ['catch-all', '<none>', '*', '', '80']);
  });
});
