import assert from 'node:assert/strict';
import { GatewayUsage, type UsageRequests } from '../../../../hub/apiserver/metrics/gateway-usage.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

/** Gateways that answer usage requests from a table the test sets, counting what they are asked. */
class FakeGateways implements UsageRequests {
  readonly online = new Map<string, boolean>();
  readonly asked: string[] = [];
  cpu = '1m';
  /** Answers held back until release() (to see how many are out at once). */
  hold = false;
  private readonly held: Array<() => void> = [];
  maxOut = 0;
  private out = 0;

  presenceOf(node: string) {
    const online = this.online.get(node);
    return online === undefined ? undefined : { online, since: new Date(0) };
  }

  async metrics(node: string, scope: 'node' | 'pods'): Promise<unknown> {
    this.asked.push(`${node}/${scope}`);
    this.out++;
    this.maxOut = Math.max(this.maxOut, this.out);
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    this.out--;
    if (node.startsWith('bad')) throw new Error('metrics are not supported by this agent');
    const usage = { cpu: this.cpu, memory: '1Ki' };
    const reading = { timestamp: new Date(clock).toISOString(), window: '1s' };
    return scope === 'node'
      ? { kind: 'NodeMetricsList', items: [{ metadata: { name: node }, ...reading, usage }] }
      : {
          kind: 'PodMetricsList',
          items: [
            { metadata: { name: 'p', namespace: 'ns' }, ...reading, containers: [{ name: 'c', usage }] },
          ],
        };
  }

  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}

let clock = Date.parse('2026-12-07T18:00:00Z');

describe('gateway usage (metrics.k8s.io from the gateways)', () => {
  let gateways: FakeGateways;
  let usage: GatewayUsage;

  beforeEach(() => {
    gateways = new FakeGateways();
    usage = new GatewayUsage({
      requests: gateways,
      now: () => clock,
      ttlMs: 15_000,
      waitMs: 200,
      maxInFlight: 3,
    });
  });

  it('asks each gateway once per TTL, however many reads', async () => {
    gateways.online.set('gw-1', true);
    await usage.nodes(['gw-1']);
    await usage.nodes(['gw-1', 'gw-1']);
    assert.deepEqual(gateways.asked, ['gw-1/node']);
    clock += 15_000;
    const again = await usage.nodes(['gw-1']);
    assert.deepEqual(gateways.asked, ['gw-1/node', 'gw-1/node']);
    assert.equal(again.get('gw-1')?.timestamp, new Date(clock).toISOString());
  });

  it("serves an offline gateway's last reading with its own time, and nothing for one never seen", async () => {
    gateways.online.set('gw-1', true);
    const first = (await usage.nodes(['gw-1'])).get('gw-1');
    gateways.online.set('gw-1', false);
    clock += 60_000;
    const later = await usage.nodes(['gw-1', 'gw-never']);
    assert.deepEqual(later.get('gw-1'), first);
    assert.equal(later.has('gw-never'), false);
    assert.deepEqual(gateways.asked, ['gw-1/node']);
  });

  it('keeps the last reading when a gateway fails to answer, and asks again only after the TTL', async () => {
    gateways.online.set('bad-1', true);
    const lines: string[] = [];
    usage = new GatewayUsage({
      requests: gateways,
      now: () => clock,
      waitMs: 200,
      log: captureLogger(lines).child('edge-sync'),
    });
    assert.equal((await usage.pods(['bad-1'])).size, 0);
    await usage.pods(['bad-1']);
    assert.deepEqual(gateways.asked, ['bad-1/pods']);
    clock += 15_000;
    await usage.pods(['bad-1']);
    assert.deepEqual(gateways.asked, ['bad-1/pods', 'bad-1/pods']);
    assert.deepEqual(lines, [
      'edge-sync: usage of bad-1 (pods) not read: metrics are not supported by this agent',
    ]);
  });

  it('has at most maxInFlight requests out, and answers within waitMs with what it has', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    for (const name of names) gateways.online.set(name, true);
    gateways.hold = true;
    const read = await usage.nodes(names);
    assert.equal(read.size, 0, 'nothing answered within waitMs');
    assert.equal(gateways.maxOut, 3);
    for (let i = 0; i < 5 && gateways.asked.length < names.length; i++) {
      gateways.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    gateways.release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(gateways.maxOut, 3);
    assert.equal((await usage.nodes(names)).size, names.length, 'the requests still out filled the cache');
    assert.equal(gateways.asked.length, names.length);
  });

  it('replaces the pod set at each answer and forgets a deleted node', async () => {
    gateways.online.set('gw-1', true);
    const pods = await usage.pods(['gw-1']);
    assert.deepEqual([...(pods.get('gw-1')?.keys() ?? [])], ['ns/p']);
    usage.forget('gw-1');
    gateways.online.set('gw-1', false);
    assert.equal((await usage.pods(['gw-1'])).size, 0);
  });
});
