import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../api/logger.js';
import {
  conflistFileName,
  PodNetwork,
  writeBridgeConflist,
} from '../../../edge-agent/runtime/pod-network.js';
import { captureLogger } from '../../helpers/capture-logger.js';

describe('pod network conflist', () => {
  let dir: string;
  const target = () => ({
    networkName: 'flotilla-abc',
    bridge: 'cni-flabc',
    confDir: join(dir, 'cni-conf'),
    ipamDataDir: join(dir, 'cni-ipam'),
  });
  const conflist = () => JSON.parse(readFileSync(join(dir, 'cni-conf', conflistFileName), 'utf8'));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-podnet-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a bridge with gateway .1, masquerade, hairpin and host-local IPAM, then portmap', () => {
    assert.equal(writeBridgeConflist(target(), '10.42.3.0/24'), true);
    assert.deepEqual(conflist(), {
      cniVersion: '1.0.0',
      name: 'flotilla-abc',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni-flabc',
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir: join(dir, 'cni-ipam'),
            ranges: [[{ subnet: '10.42.3.0/24', gateway: '10.42.3.1' }]],
            routes: [{ dst: '0.0.0.0/0' }],
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    });
    assert.ok(statSync(join(dir, 'cni-ipam')).isDirectory());
  });

  it('does not rewrite an unchanged conflist, and rewrites it in place when the CIDR changes', () => {
    writeBridgeConflist(target(), '10.42.3.0/24');
    const path = join(dir, 'cni-conf', conflistFileName);
    const before = statSync(path);
    assert.equal(writeBridgeConflist(target(), '10.42.3.0/24'), false);
    assert.equal(statSync(path).mtimeMs, before.mtimeMs);
    assert.equal(writeBridgeConflist(target(), '10.42.4.0/24'), true);
    // Same inode: written in place, not renamed into the conf dir (containerd 1.6 ignores that).
    assert.equal(statSync(path).ino, before.ino);
    assert.equal(conflist().plugins[0].ipam.ranges[0][0].gateway, '10.42.4.1');
  });

  it('replaces a conflist someone else edited', () => {
    writeBridgeConflist(target(), '10.42.3.0/24');
    writeFileSync(join(dir, 'cni-conf', conflistFileName), '{}');
    assert.equal(writeBridgeConflist(target(), '10.42.3.0/24'), true);
    assert.equal(conflist().name, 'flotilla-abc');
  });

  it('is not ready until a pod CIDR has been written, and keeps it when the CIDR goes missing', () => {
    const written: string[] = [];
    const network = new PodNetwork((cidr) => {
      written.push(cidr);
      return true;
    }, silentLogger);
    assert.equal(network.ready(), false);
    network.apply(undefined);
    assert.equal(network.ready(), false);
    network.apply('10.42.3.0/24');
    network.apply('10.42.3.0/24');
    network.apply(undefined);
    assert.equal(network.ready(), true);
    assert.equal(network.podCidr, '10.42.3.0/24');
    assert.deepEqual(written, ['10.42.3.0/24']);
  });

  it('stays not ready when the conflist cannot be written', () => {
    const logs: string[] = [];
    const network = new PodNetwork(() => {
      throw new Error('read-only file system');
    }, captureLogger(logs).child('pod-network'));
    network.apply('10.42.3.0/24');
    assert.equal(network.ready(), false);
    assert.deepEqual(logs, ['pod-network: conflist for 10.42.3.0/24 not written: read-only file system']);
  });

  it("is ready at once when the runtime's own CNI is assumed configured", () => {
    const network = new PodNetwork(undefined, silentLogger);
    assert.equal(network.ready(), true);
    network.apply('10.42.3.0/24');
    assert.equal(network.podCidr, undefined);
  });
});
