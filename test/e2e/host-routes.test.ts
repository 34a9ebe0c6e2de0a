// Host-gw pod routes on real iproute2: two network namespaces on one segment (a veth pair), the
// peer's "pod network" an address on its loopback, HostRoutes acting in the first namespace.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HostRoutes } from '../../edge-agent/network/host-routes.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { hasCommand, isRoot, skipSuiteUnless } from '../helpers/environment.js';

const run = promisify(execFile);
const here = `flrt-a-${process.pid}`;
const peer = `flrt-b-${process.pid}`;

async function ip(...args: string[]): Promise<string> {
  return (await run('ip', args)).stdout;
}

async function reachable(address: string): Promise<boolean> {
  try {
    await run('ip', ['netns', 'exec', here, 'busybox', 'ping', '-c', '1', '-W', '1', address]);
    return true;
  } catch {
    return false;
  }
}

describe('host routes to other gateways pod networks (real iproute2, network namespaces)', function () {
  this.timeout(20_000);
  const logged: string[] = [];
  let routes: HostRoutes;

  before(async function () {
    skipSuiteUnless(this, [
      ...(isRoot() ? [] : ['not running as root']),
      ...(hasCommand('ip') ? [] : ['iproute2 not installed']),
      ...(hasCommand('busybox') ? [] : ['busybox-static not installed']),
    ]);
    await ip('netns', 'add', here);
    await ip('netns', 'add', peer);
    await ip('-n', here, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peer);
    await ip('-n', here, 'addr', 'add', '172.30.77.1/24', 'dev', 'eth0');
    await ip('-n', peer, 'addr', 'add', '172.30.77.2/24', 'dev', 'eth0');
    for (const ns of [here, peer]) {
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    // The peer's pod network, answered by the peer itself; a reply route back to us.
    await ip('-n', peer, 'addr', 'add', '10.77.2.1/32', 'dev', 'lo');
    // A route that is not ours: it must survive everything.
    await ip('-n', here, 'route', 'add', '10.77.9.0/24', 'via', '172.30.77.2', 'proto', 'static');
    routes = new HostRoutes({ addresses: () => ['172.30.77.1'], log: captureLogger(logged), netns: here });
  });

  after(async () => {
    await ip('netns', 'del', here).catch(() => {});
    await ip('netns', 'del', peer).catch(() => {});
  });

  it('routes a peer pod network via its node address, so its pods answer', async () => {
    assert.equal(await reachable('10.77.2.1'), false);
    await routes.apply(
      [
        { node: 'gw-b', podCIDR: '10.77.2.0/24', via: '172.30.77.2' },
        { node: 'gw-a', podCIDR: '10.77.1.0/24', via: '172.30.77.1' },
      ],
      '10.77.1.0/24',
    );
    assert.deepEqual(await routes.installed(), [{ dst: '10.77.2.0/24', gateway: '172.30.77.2' }]);
    assert.equal(await reachable('10.77.2.1'), true);
  });

  it('skips a peer that is not on this segment, says why once, and still applies the others', async () => {
    const wanted = [
      { node: 'gw-b', podCIDR: '10.77.2.0/24', via: '172.30.77.2' },
      { node: 'gw-far', podCIDR: '10.77.3.0/24', via: '198.51.100.3' },
    ];
    await routes.apply(wanted, '10.77.1.0/24');
    await routes.apply(wanted, '10.77.1.0/24');
    const said = logged.filter((l) => l.includes('gw-far'));
    assert.equal(said.length, 1);
    assert.match(said[0]!, /198\.51\.100\.3.*one L2 segment/);
    assert.deepEqual(await routes.installed(), [{ dst: '10.77.2.0/24', gateway: '172.30.77.2' }]);
  });

  it('removes the route of a node that is gone and leaves routes it did not install', async () => {
    await routes.apply([], '10.77.1.0/24');
    assert.deepEqual(await routes.installed(), []);
    assert.equal(await reachable('10.77.2.1'), false);
    assert.match(await ip('-n', here, 'route', 'show', '10.77.9.0/24'), /via 172\.30\.77\.2/);
  });

  it('removeAll (cleanup-rules) takes away only its own routes', async () => {
    await routes.apply([{ node: 'gw-b', podCIDR: '10.77.2.0/24', via: '172.30.77.2' }], '10.77.1.0/24');
    assert.equal(await routes.removeAll(), 1);
    assert.deepEqual(await routes.installed(), []);
    assert.match(await ip('-n', here, 'route', 'show', '10.77.9.0/24'), /via 172\.30\.77\.2/);
  });
});
