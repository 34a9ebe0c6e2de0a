import assert from 'node:assert/strict';
import { serviceColumns, serviceRow } from '../../../../hub/apiserver/tables/service-table.js';
import { aService, now } from './table-builders.js';

describe('service table', () => {
  it('declares NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE and a wide SELECTOR', () => {
    assert.deepEqual(
      serviceColumns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Type', 0],
        ['Cluster-IP', 0],
        ['External-IP', 0],
        ['Port(s)', 0],
        ['Age', 0],
        ['Selector', 1],
      ],
    );
  });

  it('prints a NodePort service with its node ports', () => {
    const service = aService('web', {
      type: 'NodePort',
      clusterIP: '10.43.0.15',
      clusterIPs: ['10.43.0.15'],
      selector: { tier: 'front', app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' },
        { name: 'dns', port: 53, nodePort: 30053, protocol: 'UDP' },
      ],
    });
    assert.deepEqual(serviceRow(service, now).cells, [
      'web',
      'NodePort',
      '10.43.0.15',
      '<none>',
      '80:30080/TCP,53:30053/UDP',
      '3h25m',
      'app=web,tier=front',
    ]);
  });

  it('defaults the type to ClusterIP and the protocol to TCP', () => {
    const service = aService('api', { clusterIP: '10.43.0.2', ports: [{ port: 443 }] });
    assert.deepEqual(serviceRow(service, now).cells.slice(1, 5), [
      'ClusterIP',
      '10.43.0.2',
      '<none>',
      '443/TCP',
    ]);
  });

  it('prints <none> for a headless service without ports or selector', () => {
    const service = aService('db', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] });
    const cells = serviceRow(service, now).cells;
    assert.deepEqual([cells[2], cells[4], cells[6]], ['None', '<none>', '<none>']);
  });

  it('prints external IPs of a ClusterIP service', () => {
    const service = aService('ext', {
      clusterIP: '10.43.0.9',
      externalIPs: ['192.168.1.50', '192.168.1.51'],
    });
    assert.equal(serviceRow(service, now).cells[3], '192.168.1.50,192.168.1.51');
  });

  it('prints <pending> for a load balancer without ingress, then its addresses', () => {
    const pending = aService('lb', {
      type: 'LoadBalancer',
      clusterIP: '10.43.0.3',
      ports: [{ port: 80, nodePort: 31000 }],
    });
    assert.equal(serviceRow(pending, now).cells[3], '<pending>');
    const ready = aService(
      'lb',
      { type: 'LoadBalancer', externalIPs: ['198.51.100.9'] },
      { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }] } },
    );
    assert.equal(serviceRow(ready, now).cells[3], '203.0.113.7,lb.example.com,198.51.100.9');
  });

  it('prints the external name of an ExternalName service', () => {
    const service = aService('alias', { type: 'ExternalName', externalName: 'db.example.com' });
    assert.deepEqual(serviceRow(service, now).cells.slice(1, 5), [
      'ExternalName',
      '<none>',
      'db.example.com',
      '<none>',
    ]);
  });
});
