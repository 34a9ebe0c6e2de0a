// What the hub's log says about a gateway's link: it joined, went offline and why, came back —
// each once, at info, from real agents on a real broker.
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/eventually.js';
import { Fleet } from './fleet-harness.js';

describe("the hub's log of gateways joining, leaving and coming back", function () {
  this.timeout(120_000);
  let fleet: Fleet;

  before(async () => {
    fleet = await Fleet.start();
  });
  after(async () => {
    await fleet.close();
  });

  const lines = (fragment: string) => fleet.hubLogs.filter((line) => line.includes(fragment));
  // Generous: the machine may be busy; the hub's lines are what the test reads, not how soon.
  const logged = (fragment: string) =>
    eventually(() => lines(fragment).length > 0, { timeoutMs: 45_000 }).catch((err: Error) => {
      throw new Error(
        `${err.message}: no line with ${JSON.stringify(fragment)} in\n${fleet.hubLogs.join('\n')}`,
      );
    });

  it('says once that a new gateway joined', async () => {
    await fleet.startAgent('gw-log');
    await logged('edge-sync: gateway gw-log joined node=gw-log');
    await eventually(async () => (await fleet.node('gw-log')) !== undefined);
    assert.equal(lines('gateway gw-log joined').length, 1);
    assert.deepEqual(lines('gateway gw-log online'), [], 'a join is not also said as coming online');
  });

  it('says once that its session dropped, and once that it came back', async () => {
    assert.equal(fleet.hub.hub.mqtt.broker.sessions.disconnect('gw-log'), true);
    await logged('edge-sync: gateway gw-log offline: MQTT session dropped node=gw-log');
    // The agent reconnects by itself and registers again.
    await logged('edge-sync: gateway gw-log back online after');
    await eventually(async () => {
      const ready = (await fleet.node('gw-log'))?.status?.conditions?.find((c: any) => c.type === 'Ready');
      return ready?.status === 'True';
    });
    assert.equal(lines('gateway gw-log offline').length, 1, fleet.hubLogs.join('\n'));
    assert.equal(lines('gateway gw-log back online').length, 1, fleet.hubLogs.join('\n'));
  });

  it('says that a stopping agent left', async () => {
    await fleet.agent('gw-log').agent.stop();
    await logged('edge-sync: gateway gw-log offline: the agent disconnected (stopping)');
    assert.equal(lines('gateway gw-log offline').length, 2);
  });
});
