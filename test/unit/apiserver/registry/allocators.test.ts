import assert from 'node:assert/strict';
import { silentLogger } from '../../../../api/logger.js';
import { IpAllocator } from '../../../../hub/apiserver/registry/ip-allocator.js';
import { PortAllocator } from '../../../../hub/apiserver/registry/port-allocator.js';
import { ServiceAllocations } from '../../../../hub/apiserver/registry/service-allocations.js';

describe('IpAllocator', () => {
  it('hands out every usable address of a small range once, then reports it full', () => {
    const ips = new IpAllocator('10.0.0.0/29');
    const got = Array.from({ length: 6 }, () => ips.allocate());
    assert.deepEqual(got, ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    assert.equal(ips.allocate(), undefined);
    ips.release('10.0.0.3');
    assert.equal(ips.allocate(), '10.0.0.3');
  });

  it('refuses reserved, network, broadcast and foreign addresses', () => {
    const ips = new IpAllocator('10.43.0.0/16');
    assert.equal(ips.reserve('10.43.1.1'), true);
    assert.equal(ips.reserve('10.43.1.1'), false);
    assert.equal(ips.reserve('10.43.0.0'), false);
    assert.equal(ips.reserve('10.43.255.255'), false);
    assert.equal(ips.reserve('10.44.0.1'), false);
  });

  it('rejects a malformed CIDR', () => {
    assert.throws(() => new IpAllocator('10.0.0.0/33'), /invalid IPv4 CIDR/);
    assert.throws(() => new IpAllocator('ten/8'), /invalid IPv4 CIDR/);
  });
});

describe('PortAllocator', () => {
  it('allocates within its range and never twice', () => {
    const ports = new PortAllocator('30000-30002');
    assert.deepEqual(
      [ports.allocate(), ports.allocate(), ports.allocate(), ports.allocate()],
      [30000, 30001, 30002, undefined],
    );
    ports.release(30001);
    assert.equal(ports.allocate(), 30001);
    assert.throws(() => new PortAllocator('40000-30000'), /invalid port range/);
  });
});

describe('ServiceAllocations', () => {
  const make = () =>
    new ServiceAllocations(new IpAllocator('10.43.0.0/24'), new PortAllocator('30000-30010'));
  const svc = (spec: Record<string, unknown>) => ({ metadata: { name: 's' }, spec });

  it('keeps what the old object held on update and releases what the new one drops', () => {
    const a = make();
    const created = svc({ type: 'NodePort', ports: [{ port: 80 }] });
    assert.deepEqual(a.allocate(created).errors, []);
    const ip = (created.spec as any).clusterIP;
    const nodePort = (created.spec as any).ports[0].nodePort;
    const updated = svc({ type: 'ClusterIP', ports: [{ port: 80 }] });
    assert.deepEqual(a.allocate(updated, created).errors, []);
    assert.equal((updated.spec as any).clusterIP, ip);
    assert.equal((updated.spec as any).ports[0].nodePort, undefined);
    a.releaseUnused(updated, created);
    assert.equal(a.ports.reserve(nodePort), true, 'the node port went back to the pool');
    assert.equal(a.ips.reserve(ip), false, 'the ClusterIP is still held');
  });

  it('rolls back what it took when a later port fails', () => {
    const a = make();
    a.ports.reserve(30005);
    const s = svc({ type: 'NodePort', ports: [{ port: 80 }, { port: 81, nodePort: 30005 }] });
    const result = a.allocate(s);
    assert.equal(result.errors[0]?.field, 'spec.ports[1].nodePort');
    assert.equal(a.ips.reserve((s.spec as any).clusterIP), true, 'the ClusterIP was released');
  });

  it('restores held addresses from stored services', () => {
    const a = make();
    a.restore(
      [svc({ clusterIP: '10.43.0.7', type: 'NodePort', ports: [{ port: 1, nodePort: 30003 }] })],
      silentLogger,
    );
    assert.equal(a.ips.reserve('10.43.0.7'), false);
    assert.equal(a.ports.reserve(30003), false);
  });
});
