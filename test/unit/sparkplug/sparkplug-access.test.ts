import assert from 'node:assert/strict';
import { mayPublish, maySubscribe } from '../../../api/mqtt/access.js';
import { maySparkplugPublish } from '../../../api/sparkplug/access.js';

describe('who may use the Sparkplug B namespace on the embedded broker', () => {
  it('lets the hub publish as edge nodes', () => {
    assert.equal(maySparkplugPublish({ role: 'hub' }, 'spBv1.0/g/NBIRTH/gw-1').allowed, true);
    assert.equal(
      maySparkplugPublish({ role: 'hub' }, 'spBv1.0/g/DDATA/gw-1/ns:deployment:web').allowed,
      true,
    );
  });

  it('lets a SCADA host send STATE and commands, never births or data', () => {
    const scada = { role: 'sparkplug' } as const;
    assert.equal(maySparkplugPublish(scada, 'spBv1.0/STATE/scada-1').allowed, true);
    assert.equal(maySparkplugPublish(scada, 'spBv1.0/g/NCMD/gw-1').allowed, true);
    assert.equal(maySparkplugPublish(scada, 'spBv1.0/g/DCMD/gw-1/d').allowed, true);
    assert.deepEqual(maySparkplugPublish(scada, 'spBv1.0/g/NDEATH/gw-1'), {
      allowed: false,
      reason: 'sparkplug may not publish Sparkplug NDEATH messages',
    });
    assert.equal(maySparkplugPublish(scada, 'spBv1.0/g/NBIRTH').allowed, false);
  });

  it('keeps gateways and dashboards from publishing there', () => {
    assert.equal(maySparkplugPublish({ role: 'node', node: 'gw-1' }, 'spBv1.0/g/NBIRTH/gw-1').allowed, false);
    assert.equal(maySparkplugPublish({ role: 'dashboard' }, 'spBv1.0/STATE/x').allowed, false);
  });

  it('lets hosts and dashboards read it, and not gateways', () => {
    assert.equal(maySubscribe({ role: 'sparkplug' }, 'spBv1.0/#').allowed, true);
    assert.equal(maySubscribe({ role: 'dashboard' }, 'spBv1.0/g/+/gw-1').allowed, true);
    assert.equal(maySubscribe({ role: 'node', node: 'gw-1' }, 'spBv1.0/#').allowed, false);
  });

  it('gives a SCADA host nothing of the Flotilla topics', () => {
    assert.equal(maySubscribe({ role: 'sparkplug' }, 'flotilla/v1/summary/#').allowed, false);
    assert.equal(maySubscribe({ role: 'sparkplug' }, '#').allowed, false);
    assert.equal(mayPublish({ role: 'sparkplug' }, 'flotilla/v1/summary/nodes/gw-1').allowed, false);
  });
});
