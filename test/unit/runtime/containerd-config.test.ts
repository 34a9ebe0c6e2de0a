import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bridgeConflist,
  containerdConfigToml,
  containerdPaths,
  firstHost,
  instanceNetworkNames,
} from '../../../edge-agent/runtime/containerd-config.js';
import { normalizeImageRef } from '../../../edge-agent/runtime/image-ref.js';
import { ManagedContainerd } from '../../../edge-agent/runtime/managed-containerd.js';
import { RotatingLog } from '../../../edge-agent/runtime/rotating-log.js';

describe('managed containerd configuration', () => {
  const paths = containerdPaths('/var/lib/flotilla');

  it('keeps every path of an instance under <dataDir>/containerd', () => {
    for (const path of Object.values(paths)) assert.ok(path.startsWith('/var/lib/flotilla/containerd'), path);
    assert.equal(containerdPaths('/d', '/etc/cni/net.d').cniConfDir, '/etc/cni/net.d');
  });

  it('writes the settings containerd 1.6 needs on a gateway', () => {
    const toml = containerdConfigToml({
      paths,
      sandboxImage: 'docker.io/flotilla/pause:1',
      cniBinDir: '/usr/lib/cni',
    });
    for (const line of [
      'version = 2',
      'root = "/var/lib/flotilla/containerd/root"',
      'state = "/var/lib/flotilla/containerd/state"',
      'address = "/var/lib/flotilla/containerd/containerd.sock"',
      'address = "/var/lib/flotilla/containerd/containerd.sock.ttrpc"',
      'path = "/var/lib/flotilla/containerd/opt"',
      'sandbox_image = "docker.io/flotilla/pause:1"',
      'stream_server_port = "0"',
      'netns_mounts_under_state_dir = true',
      'restrict_oom_score_adj = true',
      'SystemdCgroup = false',
      'Root = "/var/lib/flotilla/containerd/runc"',
      'bin_dir = "/usr/lib/cni"',
      'conf_dir = "/var/lib/flotilla/containerd/cni-conf"',
      'max_conf_num = 1',
      '"io.containerd.snapshotter.v1.devmapper",',
    ]) {
      assert.ok(toml.includes(line), `missing: ${line}`);
    }
  });

  it('quotes paths as TOML strings', () => {
    const odd = containerdPaths('/data/with "quote"');
    const toml = containerdConfigToml({ paths: odd, sandboxImage: 'p', cniBinDir: '/c' });
    assert.ok(toml.includes('root = "/data/with \\"quote\\"/containerd/root"'));
  });

  it('names each instance its own CNI network and a bridge that fits IFNAMSIZ', () => {
    const a = instanceNetworkNames('/a/containerd');
    const b = instanceNetworkNames('/b/containerd');
    assert.notEqual(a.networkName, b.networkName);
    assert.notEqual(a.bridge, b.bridge);
    assert.ok(a.bridge.length <= 15);
    assert.deepEqual(instanceNetworkNames('/a/containerd'), a);
  });

  it('writes a bridge + portmap conflist whose gateway is the first host of the pod CIDR', () => {
    const conflist = JSON.parse(
      bridgeConflist({ networkName: 'n', bridge: 'b', podCidr: '10.231.4.0/24', ipamDataDir: '/ipam' }),
    );
    assert.deepEqual(
      conflist.plugins.map((p: { type: string }) => p.type),
      ['bridge', 'portmap'],
    );
    assert.deepEqual(conflist.plugins[0].ipam.ranges, [[{ subnet: '10.231.4.0/24', gateway: '10.231.4.1' }]]);
    assert.equal(conflist.plugins[0].ipam.dataDir, '/ipam');
  });

  it('computes the first host of a CIDR and refuses what is not one', () => {
    assert.equal(firstHost('10.88.1.0/24'), '10.88.1.1');
    assert.equal(firstHost('10.88.1.77/24'), '10.88.1.1');
    assert.equal(firstHost('172.16.0.0/12'), '172.16.0.1');
    assert.throws(() => firstHost('10.88.1.0'), /podCidr must be an IPv4 CIDR/);
    assert.throws(() => firstHost('10.88.1.0/31'), /prefix of 8 to 30 bits/);
  });

  it('fails at start with the fix when containerd is not installed', async () => {
    const containerd = new ManagedContainerd({
      dataDir: '/tmp/flotilla-unused',
      pauseImage: 'docker.io/flotilla/pause:1',
      binDirs: ['/nonexistent'],
    });
    await assert.rejects(containerd.start(), {
      message: 'containerd not found: install containerd or pass --runtime-endpoint',
    });
  });

  it('refuses a data dir whose socket path would not fit a unix socket address', async () => {
    const containerd = new ManagedContainerd({ dataDir: `/tmp/${'x'.repeat(100)}`, pauseImage: 'p' });
    await assert.rejects(containerd.start(), /exceeds the 107-byte unix socket limit/);
  });
});

describe('image references', () => {
  it('normalises them the way CRI does', () => {
    assert.equal(normalizeImageRef('busybox'), 'docker.io/library/busybox:latest');
    assert.equal(normalizeImageRef('busybox:1.36'), 'docker.io/library/busybox:1.36');
    assert.equal(normalizeImageRef('flotilla/pause:1'), 'docker.io/flotilla/pause:1');
    assert.equal(normalizeImageRef('localhost/x'), 'localhost/x:latest');
    assert.equal(normalizeImageRef('registry.local:5000/a/b:2'), 'registry.local:5000/a/b:2');
    assert.equal(normalizeImageRef('quay.io/x/y@sha256:abc'), 'quay.io/x/y@sha256:abc');
    assert.equal(normalizeImageRef('sha256:abc'), 'sha256:abc');
  });
});

describe('RotatingLog', () => {
  it('moves the file to .1 when it passes the limit, keeping two generations', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flotilla-rotating-log-'));
    try {
      const file = join(dir, 'containerd.log');
      await writeFile(file, 'old\n');
      const log = new RotatingLog(file, 10);
      log.write('12345\n'); // 4 + 6 = 10 bytes: still fits
      log.write('abcdef\n'); // would pass 10: rotate first
      assert.equal(await readFile(`${file}.1`, 'utf8'), 'old\n12345\n');
      assert.equal(await readFile(file, 'utf8'), 'abcdef\n');
      assert.deepEqual(log.tail(1), ['abcdef']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
