import assert from 'node:assert/strict';
import { buildServiceModel, defaultAffinitySeconds } from '../../../edge-agent/proxy/service-model.js';
import { portPolicy } from '../../../edge-agent/proxy/service-port.js';
import { aService, aSlice } from './proxy-builders.js';

const endpoints = (list: { ip: string; port: number; local: boolean }[]) =>
  list.map((e) => `${e.ip}:${e.port}`);

describe('service model (Services and EndpointSlices → service ports)', () => {
  it('gives each Service port its endpoints from the slices, matched by port name and protocol', () => {
    const svc = aService('api', '10.96.0.8', [
      { name: 'http', port: 80, targetPort: 'web' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ]);
    const slice = aSlice(
      'api',
      [{ ip: '10.244.1.9', node: 'gw-1' }, { ip: '10.244.1.3' }],
      [
        { name: 'http', port: 8080 },
        { name: 'dns', port: 5353, protocol: 'UDP' },
      ],
    );
    const { ports, problems } = buildServiceModel([svc], [slice], 'gw-1');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      ports.map((p) => [p.id, p.protocol, p.port, endpoints(p.clusterEndpoints)]),
      [
        ['default/api:dns', 'UDP', 53, ['10.244.1.3:5353', '10.244.1.9:5353']],
        ['default/api:http', 'TCP', 80, ['10.244.1.3:8080', '10.244.1.9:8080']],
      ],
    );
    assert.deepEqual(endpoints(ports[0]!.localEndpoints), ['10.244.1.9:5353']);
  });

  it('leaves out headless and ExternalName Services, and ignores slices of other Services', () => {
    const headless = aService('db', 'None');
    const external = aService('mail', '');
    external.spec.type = 'ExternalName';
    external.spec.externalName = 'mail.example';
    const { ports } = buildServiceModel([headless, external], [aSlice('db', [{ ip: '10.244.1.4' }])], 'gw-1');
    assert.deepEqual(ports, []);
  });

  it('uses ready endpoints, and serving terminating ones only when none is ready', () => {
    const rolling = aSlice('web', [
      { ip: '10.244.1.5' },
      { ip: '10.244.1.6', ready: false, serving: true, terminating: true },
      { ip: '10.244.1.7', ready: false, serving: false },
    ]);
    const draining = aSlice('web', [
      { ip: '10.244.1.6', ready: false, serving: true, terminating: true },
      { ip: '10.244.1.7', ready: false, serving: false, terminating: true },
    ]);
    const svc = aService('web', '10.96.0.5');
    assert.deepEqual(endpoints(buildServiceModel([svc], [rolling], 'gw-1').ports[0]!.clusterEndpoints), [
      '10.244.1.5:8080',
    ]);
    assert.deepEqual(endpoints(buildServiceModel([svc], [draining], 'gw-1').ports[0]!.clusterEndpoints), [
      '10.244.1.6:8080',
    ]);
  });

  it('counts an address listed by two slices once, with its best conditions', () => {
    const a = aSlice('web', [{ ip: '10.244.1.5', ready: false }], [{ port: 8080 }], 'a');
    const b = aSlice('web', [{ ip: '10.244.1.5' }], [{ port: 8080 }], 'b');
    const port = buildServiceModel([aService('web', '10.96.0.5')], [a, b], 'gw-1').ports[0]!;
    assert.deepEqual(endpoints(port.clusterEndpoints), ['10.244.1.5:8080']);
  });

  it('takes node ports, external IPs, load balancer ingress IPs and traffic policies', () => {
    const svc = aService('shop', '10.96.0.40', [{ port: 443, nodePort: 31443 }]);
    svc.spec.type = 'LoadBalancer';
    svc.spec.externalIPs = ['198.51.100.7', '2001:db8::7'];
    svc.spec.externalTrafficPolicy = 'Local';
    svc.spec.internalTrafficPolicy = 'Local';
    svc.status = {
      loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { ip: '203.0.113.11', ipMode: 'Proxy' }] },
    };
    const { ports, problems } = buildServiceModel([svc], [], 'gw-1');
    assert.deepEqual(problems, []);
    const [port] = ports;
    assert.equal(port!.nodePort, 31443);
    assert.deepEqual(port!.externalIPs, ['198.51.100.7']);
    assert.deepEqual(port!.loadBalancerIPs, ['203.0.113.10']);
    assert.equal(port!.externalLocal, true);
    assert.equal(port!.internalLocal, true);
  });

  it('has no node port for a ClusterIP Service, even if one is written in its spec', () => {
    const svc = aService('web', '10.96.0.5', [{ port: 80, nodePort: 30080 }]);
    assert.equal(buildServiceModel([svc], [], 'gw-1').ports[0]!.nodePort, undefined);
  });

  it("reads ClientIP affinity with its timeout, kube's three hours by default", () => {
    const svc = aService('session', '10.96.0.50');
    svc.spec.sessionAffinity = 'ClientIP';
    assert.equal(buildServiceModel([svc], [], 'gw-1').ports[0]!.affinitySeconds, defaultAffinitySeconds);
    svc.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 60 } };
    assert.equal(buildServiceModel([svc], [], 'gw-1').ports[0]!.affinitySeconds, 60);
  });

  it('chooses Local-policy endpoints the way kube-proxy does', () => {
    const svc = aService('ingress', '10.96.0.70', [{ port: 80, nodePort: 30070 }]);
    svc.spec.type = 'NodePort';
    svc.spec.externalTrafficPolicy = 'Local';
    const slice = aSlice('ingress', [
      { ip: '10.244.1.5', node: 'gw-1' },
      { ip: '10.244.2.7', node: 'gw-2' },
    ]);
    const policy = portPolicy(buildServiceModel([svc], [slice], 'gw-1').ports[0]!);
    assert.deepEqual(endpoints(policy.internalEndpoints), ['10.244.1.5:8080', '10.244.2.7:8080']);
    assert.deepEqual(endpoints(policy.externalEndpoints), ['10.244.1.5:8080']);
    assert.equal(policy.hasAnyEndpoints, true);
  });

  it('reports bad fields by name and keeps the rest', () => {
    const bad = aService('bad', '10.96.0.9', [{ port: 0 }, { name: 'ok', port: 81 }]);
    const weird = aService('weird', 'not-an-ip');
    const slice = aSlice('bad', [{ ip: 'nope' }], [{ name: 'ok', port: 8081 }]);
    const { ports, problems } = buildServiceModel([bad, weird], [slice], 'gw-1');
    assert.deepEqual(
      ports.map((p) => p.id),
      ['default/bad:ok'],
    );
    assert.deepEqual(problems, [
      'endpointSlices[default/bad-abcde].endpoints[0].addresses[0]: Invalid value: "nope": must be an IPv4 address',
      'services[default/bad].spec.ports[0].port: Invalid value: 0: must be 1-65535',
      'services[default/weird].spec.clusterIP: Invalid value: "not-an-ip": must be an IPv4 address',
    ]);
  });

  it('gives a frontend claimed by two Services to the first, and says so', () => {
    const a = aService('a', '10.96.0.1');
    const b = aService('b', '10.96.0.2');
    a.spec.externalIPs = ['198.51.100.7'];
    b.spec.externalIPs = ['198.51.100.7'];
    const { ports, problems } = buildServiceModel([b, a], [], 'gw-1');
    assert.deepEqual(
      ports.map((p) => [p.id, p.externalIPs]),
      [
        ['default/a', ['198.51.100.7']],
        ['default/b', []],
      ],
    );
    assert.deepEqual(problems, ['default/b: 198.51.100.7:80/TCP is already used by default/a; left out']);
  });
});

describe('service model: the kubernetes Service on a gateway', () => {
  const kubernetes = () =>
    aService('kubernetes', '10.43.0.1', [{ name: 'https', port: 443, targetPort: 6443 }]);
  const hubSlice = () => aSlice('kubernetes', [{ ip: '192.168.1.5' }], [{ name: 'https', port: 6443 }]);

  it('sends the ClusterIP to the API relay, not to the hub address, once the relay is given', () => {
    const { ports } = buildServiceModel([kubernetes()], [hubSlice()], 'gw-1', {
      ip: '10.42.1.1',
      port: 10443,
    });
    assert.deepEqual(
      ports.map((p) => [
        p.id,
        p.clusterIP,
        p.port,
        endpoints(p.clusterEndpoints),
        endpoints(p.localEndpoints),
      ]),
      [['default/kubernetes:https', '10.43.0.1', 443, ['10.42.1.1:10443'], ['10.42.1.1:10443']]],
    );
  });

  it('leaves the kubernetes Service of other namespaces and every other Service alone', () => {
    const other = aService('kubernetes', '10.43.0.9', [{ name: 'https', port: 443 }]);
    other.metadata.namespace = 'tools';
    const { ports } = buildServiceModel([other], [], 'gw-1', { ip: '10.42.1.1', port: 10443 });
    assert.deepEqual(
      ports.map((p) => endpoints(p.clusterEndpoints)),
      [[]],
    );
  });

  it('uses the hub endpoints while there is no relay', () => {
    const { ports } = buildServiceModel([kubernetes()], [hubSlice()], 'gw-1');
    assert.deepEqual(endpoints(ports[0]!.clusterEndpoints), ['192.168.1.5:6443']);
  });
});
