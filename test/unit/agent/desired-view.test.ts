import assert from 'node:assert/strict';
import { silentLogger } from '../../../api/logger.js';
import type { AgentDesired } from '../../../api/mqtt/payloads/desired-state.js';
import type { KubeObject } from '../../../api/types.js';
import { type DesiredConsumer, desiredConsumers } from '../../../edge-agent/desired/desired-consumers.js';
import { DesiredView } from '../../../edge-agent/desired/desired-view.js';
import { SharedSync } from '../../../edge-agent/hub-link/shared-sync.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { eventually } from '../../helpers/eventually.js';
import { aDesiredState } from './agent-builders.js';

const aService = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', resourceVersion: '1' },
  spec: { clusterIP: '10.43.0.10', ports: [{ port: 80 }] },
});

/** What each part of a gateway holds after the view applied a state to it. */
function gateway(loaded: AgentDesired | undefined, refuse: { dns?: string } = {}) {
  const held = {
    podCidr: undefined as string | undefined,
    relayCidr: undefined as string | undefined,
    dnsServices: [] as string[],
    dnsSerial: undefined as number | undefined,
    proxyPodCidr: undefined as string | undefined,
    pods: [] as string[],
  };
  const logs: string[] = [];
  const consumers = desiredConsumers({
    podNetwork: {
      apply: (cidr) => {
        held.podCidr = cidr ?? held.podCidr;
      },
    },
    apiRelay: {
      usePodCidr: (cidr) => {
        held.relayCidr = cidr;
      },
    },
    dns: {
      update: (state) => {
        if (refuse.dns) throw new Error(refuse.dns);
        held.dnsServices = state.services.map((s) => String(s.metadata.name));
        held.dnsSerial = state.revision;
      },
    },
    proxy: {
      setDesired: (input) => {
        held.proxyPodCidr = input.podCIDR;
      },
    },
    podManager: {
      setDesired: (state) => {
        held.pods = state.pods.map((p) => String(p.metadata.name));
      },
    },
    log: captureLogger(logs).child('agent'),
  });
  const view = new DesiredView(loaded, new SharedSync('gw-1', loaded, silentLogger), {
    consumers,
    store: { saveDesired: async () => {} },
    segmentChanged: () => {},
    log: captureLogger(logs).child('agent'),
  });
  return { held, logs, view, consumers };
}

describe('agent desired view and its consumers', () => {
  it('lists what a new pod needs (network, names, service rules) before the pod manager', () => {
    const names = gateway(undefined).consumers.map((c: DesiredConsumer) => c.name);
    assert.deepEqual(names, ['pod network', 'API relay', 'DNS', 'service proxy', 'pod manager']);
  });

  it('replays the state local state kept to every consumer, before the hub', () => {
    const kept = { ...aDesiredState(4, ['a', 'b']), podCIDR: '10.42.3.0/24', services: [aService('db')] };
    const gw = gateway(kept);
    gw.view.replay();
    assert.deepEqual(gw.held, {
      podCidr: '10.42.3.0/24',
      relayCidr: '10.42.3.0/24',
      dnsServices: ['db'],
      dnsSerial: 4,
      proxyPodCidr: '10.42.3.0/24',
      pods: ['a', 'b'],
    });
    assert.match(gw.logs.join('\n'), /running 2 pod\(s\) of revision 4 from local state/);
  });

  it('gives nothing when local state kept nothing', () => {
    const gw = gateway(undefined);
    gw.view.replay();
    assert.deepEqual(gw.held.pods, []);
    assert.equal(gw.held.dnsSerial, undefined);
  });

  it('applies an own change to the same consumers as the replay', () => {
    const gw = gateway(undefined);
    gw.view.applyOwn({ ...aDesiredState(7, ['c']), podCIDR: '10.42.9.0/24' });
    assert.deepEqual(gw.held.pods, ['c']);
    assert.equal(gw.held.podCidr, '10.42.9.0/24');
    assert.equal(gw.held.relayCidr, '10.42.9.0/24');
    assert.equal(gw.held.proxyPodCidr, '10.42.9.0/24');
    assert.equal(gw.held.dnsSerial, 7);
  });

  it('names a consumer that refuses a state, and the others still apply it', () => {
    const gw = gateway(undefined, { dns: 'zone too large' });
    assert.throws(() => gw.view.applyOwn(aDesiredState(3, ['d'])), {
      message: 'DNS refused revision 3: zone too large',
    });
    assert.deepEqual(gw.held.pods, ['d']);
  });

  it('gives a shared change only to the consumers that read shared state', async () => {
    const kept = { ...aDesiredState(2, ['a']), services: [aService('db')] };
    const gw = gateway(kept);
    gw.view.replay();
    gw.held.pods = [];
    gw.view.sharedChanged();
    await eventually(() => gw.held.dnsSerial === 3);
    gw.view.stop();
    assert.deepEqual(gw.held.pods, [], 'the pod manager reads only own state');
  });
});
