import assert from 'node:assert/strict';
import { FullSyncNeeded, type PortChange, type RuleApplier } from '../../../edge-agent/proxy/rule-applier.js';
import { type ProxyNode, portKey, type ServicePort } from '../../../edge-agent/proxy/service-port.js';
import { type ProxyInput, ServiceProxy } from '../../../edge-agent/proxy/service-proxy.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { eventually } from '../../helpers/eventually.js';
import { aService, aSlice } from './proxy-builders.js';

/** A kernel in memory: the ports installed, and how much each sync rewrote. */
class MemoryApplier implements RuleApplier {
  readonly mode = 'nftables';
  installed = new Map<string, ServicePort>();
  node: ProxyNode | undefined;
  fullSyncs = 0;
  /** Ports written by updates (not by full syncs). */
  portsUpdated = 0;
  failures: Array<'syncAll' | 'update' | 'full-sync-needed'> = [];
  /** Flotilla rules in the kernel (an earlier run's, or ours after a full sync). */
  present = false;
  delayMs = 0;

  async syncAll(ports: readonly ServicePort[], node: ProxyNode): Promise<void> {
    await this.pause();
    if (this.failures[0] === 'syncAll') throw new Error(`injected: ${this.failures.shift()}`);
    this.installed = new Map(ports.map((p) => [portKey(p), p]));
    this.node = node;
    this.present = true;
    this.fullSyncs++;
  }

  async hasRules(): Promise<boolean> {
    return this.present;
  }

  async update(changes: readonly PortChange[], node: ProxyNode): Promise<void> {
    await this.pause();
    assert.deepEqual(node, this.node, 'an update always follows a full sync of the same node');
    const failure = this.failures[0];
    if (failure === 'update') throw new Error(`injected: ${this.failures.shift()}`);
    if (failure === 'full-sync-needed') throw new FullSyncNeeded(`injected: ${this.failures.shift()}`);
    for (const { before, after } of changes) {
      if (before)
        assert.deepEqual(this.installed.get(portKey(before)), before, 'before is what was installed');
      if (before) this.installed.delete(portKey(before));
      if (after) this.installed.set(portKey(after), after);
      this.portsUpdated++;
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }
}

function state(endpointsOfB: string[], podCIDR = '10.244.1.0/24'): ProxyInput {
  return {
    services: [aService('a', '10.96.0.1'), aService('b', '10.96.0.2'), aService('c', '10.96.0.3')],
    endpointSlices: [
      aSlice('a', [{ ip: '10.244.1.2' }]),
      aSlice(
        'b',
        endpointsOfB.map((ip) => ({ ip })),
      ),
      aSlice('c', [{ ip: '10.244.1.4' }]),
    ],
    podCIDR,
  };
}

const endpointsOf = (applier: MemoryApplier, id: string) =>
  applier.installed.get(`default/${id}/TCP`)?.clusterEndpoints.map((e) => e.ip);

describe('service proxy', () => {
  let applier: MemoryApplier;
  let proxy: ServiceProxy;
  const logs: string[] = [];
  beforeEach(() => {
    applier = new MemoryApplier();
    logs.length = 0;
    proxy = new ServiceProxy({
      applier,
      nodeName: 'gw-1',
      addresses: ['192.168.1.10'],
      log: captureLogger(logs),
      retry: { initialMs: 10, maxMs: 40 },
    });
  });
  afterEach(() => proxy.stop());

  it('installs everything with a full sync first, then rewrites only the ports that changed', async () => {
    proxy.setDesired(state(['10.244.1.3']));
    await proxy.flush();
    assert.equal(applier.fullSyncs, 1);
    assert.deepEqual([...applier.installed.keys()].sort(), [
      'default/a/TCP',
      'default/b/TCP',
      'default/c/TCP',
    ]);

    proxy.setDesired(state(['10.244.1.3', '10.244.1.9']));
    await proxy.flush();
    assert.equal(applier.fullSyncs, 1);
    assert.equal(applier.portsUpdated, 1);
    assert.deepEqual(endpointsOf(applier, 'b'), ['10.244.1.3', '10.244.1.9']);

    proxy.setDesired(state(['10.244.1.3', '10.244.1.9']));
    await proxy.flush();
    assert.equal(applier.portsUpdated, 1, 'the same state again changes nothing');
  });

  it('removes the ports of a deleted Service', async () => {
    proxy.setDesired(state(['10.244.1.3']));
    await proxy.flush();
    const without = state(['10.244.1.3']);
    without.services = without.services.filter((s) => s.metadata.name !== 'c');
    proxy.setDesired(without);
    await proxy.flush();
    assert.deepEqual([...applier.installed.keys()].sort(), ['default/a/TCP', 'default/b/TCP']);
  });

  it('syncs everything again when the node changes (a new pod CIDR changes every masquerade rule)', async () => {
    proxy.setDesired(state(['10.244.1.3']));
    await proxy.flush();
    proxy.setDesired(state(['10.244.1.3'], '10.244.7.0/24'));
    await proxy.flush();
    assert.equal(applier.fullSyncs, 2);
    assert.equal(applier.node?.podCIDR, '10.244.7.0/24');
  });

  it('falls back to a full sync when an update fails or cannot be done piecemeal', async () => {
    proxy.setDesired(state(['10.244.1.3']));
    await proxy.flush();
    applier.failures.push('update');
    proxy.setDesired(state(['10.244.1.5']));
    await proxy.flush();
    assert.deepEqual(endpointsOf(applier, 'b'), ['10.244.1.5']);
    applier.failures.push('full-sync-needed');
    proxy.setDesired(state(['10.244.1.6']));
    await proxy.flush();
    assert.deepEqual(endpointsOf(applier, 'b'), ['10.244.1.6']);
    assert.equal(applier.fullSyncs, 3);
    assert.ok(logs.some((l) => /syncing all rules \(update failed: injected: update\)/.test(l)));
  });

  it('retries a failed full sync with back-off until it succeeds', async () => {
    applier.failures.push('syncAll', 'syncAll');
    proxy.setDesired(state(['10.244.1.3']));
    await assert.rejects(proxy.flush(), /injected: syncAll/);
    await eventually(() => applier.fullSyncs === 1);
    await proxy.flush();
    assert.deepEqual(endpointsOf(applier, 'b'), ['10.244.1.3']);
    assert.equal(logs.filter((l) => l.includes('sync failed, retrying')).length, 2);
  });

  it('leaves the firewall untouched while there is no Service, and syncs once one comes', async () => {
    proxy.setDesired({ services: [], endpointSlices: [], podCIDR: '10.244.1.0/24' });
    await proxy.flush();
    assert.equal(applier.fullSyncs, 0);
    proxy.setDesired(state(['10.244.1.3']));
    await proxy.flush();
    assert.equal(applier.fullSyncs, 1);
    assert.equal(applier.installed.size, 3);
  });

  it('without any Service, still replaces the rules an earlier run left', async () => {
    applier.present = true;
    applier.installed.set('default/old/TCP', {} as ServicePort);
    proxy.setDesired({ services: [], endpointSlices: [] });
    await proxy.flush();
    assert.equal(applier.fullSyncs, 1);
    assert.equal(applier.installed.size, 0);
  });

  it('coalesces desired states that arrive while a sync runs, and ends at the latest', async () => {
    applier.delayMs = 20;
    for (let i = 3; i < 13; i++) proxy.setDesired(state([`10.244.1.${i}`]));
    await proxy.flush();
    assert.deepEqual(endpointsOf(applier, 'b'), ['10.244.1.12']);
    assert.ok(applier.fullSyncs + applier.portsUpdated <= 3, 'not one sync per desired state');
  });
});
