import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import {
  addressesToHold,
  announcedAddresses,
  electHolder,
  servicesReadyOn,
} from '../../../edge-agent/l2-announce/holder-election.js';

const lbService = (
  name: string,
  ip: string,
  announcers: string,
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', annotations: { 'flotilla.io/announcers': announcers } },
  spec: { type: 'LoadBalancer', ...extra },
  status: { loadBalancer: { ingress: [{ ip }] } },
});

describe('holder election among the gateways of a site', () => {
  it('elects the same holder whatever the order of the candidates', () => {
    const a = electHolder('172.30.5.200', ['gw-1', 'gw-2', 'gw-3']);
    assert.ok(a);
    assert.equal(electHolder('172.30.5.200', ['gw-3', 'gw-1', 'gw-2']), a);
    assert.equal(electHolder('172.30.5.200', []), undefined);
  });

  it('moves only the addresses of a gateway that leaves', () => {
    const gateways = ['gw-1', 'gw-2', 'gw-3'];
    const addresses = Array.from({ length: 60 }, (_, i) => `172.30.5.${100 + i}`);
    const before = new Map(addresses.map((a) => [a, electHolder(a, gateways)]));
    const holders = new Set(before.values());
    assert.equal(holders.size, 3, 'sixty addresses spread over all three gateways');
    for (const address of addresses) {
      const after = electHolder(address, ['gw-1', 'gw-3']);
      if (before.get(address) !== 'gw-2') assert.equal(after, before.get(address));
      else assert.notEqual(after, 'gw-2');
    }
  });

  it('gives each address to exactly one of the gateways that see each other', () => {
    const services = [
      lbService('a', '172.30.5.200', 'gw-1,gw-2'),
      lbService('b', '172.30.5.201', 'gw-1,gw-2'),
    ];
    const addresses = announcedAddresses(services);
    const all = new Set(['172.30.5.200', '172.30.5.201']);
    const one = addressesToHold({
      self: 'gw-1',
      addresses,
      selfServes: all,
      peers: new Map([['gw-2', all]]),
    });
    const two = addressesToHold({
      self: 'gw-2',
      addresses,
      selfServes: all,
      peers: new Map([['gw-1', all]]),
    });
    assert.deepEqual([...one, ...two].sort(), [...all].sort());
    // gw-2 gone silent: gw-1 holds everything.
    assert.deepEqual(
      [...addressesToHold({ self: 'gw-1', addresses, selfServes: all, peers: new Map() })].sort(),
      [...all].sort(),
    );
  });

  it('leaves out gateways the hub did not list and those that cannot serve the address', () => {
    const addresses = announcedAddresses([lbService('a', '172.30.5.200', 'gw-1,gw-2')]);
    const serves = new Set(['172.30.5.200']);
    // A stranger on the network with a better hash changes nothing; gw-2 cannot serve it.
    const peers = new Map([
      ['stranger', serves],
      ['gw-2', new Set<string>()],
    ]);
    assert.deepEqual(
      [...addressesToHold({ self: 'gw-1', addresses, selfServes: serves, peers })],
      ['172.30.5.200'],
    );
    assert.deepEqual([...addressesToHold({ self: 'gw-3', addresses, selfServes: serves, peers })], []);
  });

  it('reads Local policy and where ready endpoints run', () => {
    const [local] = announcedAddresses([
      lbService('a', '172.30.5.200', 'gw-1', { externalTrafficPolicy: 'Local' }),
      { ...lbService('b', '172.30.5.201', 'gw-1'), spec: { type: 'ClusterIP' } },
    ]);
    assert.deepEqual(local, {
      address: '172.30.5.200',
      announcers: ['gw-1'],
      local: true,
      service: 'default/a',
    });
    const slice = (ready: boolean): KubeObject => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'a-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'a' } },
      endpoints: [{ addresses: ['10.42.1.5'], nodeName: 'gw-1', conditions: { ready } }],
    });
    assert.deepEqual([...servicesReadyOn([slice(true)], 'gw-1')], ['default/a']);
    assert.deepEqual([...servicesReadyOn([slice(false)], 'gw-1')], []);
    assert.deepEqual([...servicesReadyOn([slice(true)], 'gw-2')], []);
  });
});
