import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ociImageTar } from '../../../edge-agent/runtime/images/oci-image.js';
import { tarArchive } from '../../../edge-agent/runtime/images/tar-writer.js';
import { readTar } from '../../helpers/images/read-tar.js';

describe('OCI image tars', () => {
  it('writes ustar entries that read back with valid checksums, long paths included', () => {
    const long = `${'d'.repeat(120)}/file.txt`;
    const entries = readTar(
      tarArchive([
        { type: 'dir', path: 'bin' },
        { type: 'file', path: 'bin/busybox', data: Buffer.from('ELF'), mode: 0o755 },
        { type: 'symlink', path: 'bin/sh', target: 'busybox' },
        { type: 'file', path: long, data: Buffer.alloc(700, 1) },
      ]),
    );
    assert.equal(entries.get('bin/')?.type, '5');
    assert.equal(entries.get('bin/busybox')?.data.toString(), 'ELF');
    assert.deepEqual([entries.get('bin/sh')?.type, entries.get('bin/sh')?.target], ['2', 'busybox']);
    assert.equal(entries.get(long)?.data.length, 700);
  });

  it('writes an OCI layout whose blobs match their digests and whose index names the image', () => {
    const layer = tarArchive([{ type: 'file', path: 'hello', data: Buffer.from('hi') }]);
    const entries = readTar(ociImageTar({ ref: 'docker.io/flotilla/hello:1', layer, cmd: ['/hello'] }));
    assert.deepEqual(JSON.parse(entries.get('oci-layout')!.data.toString()), { imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(entries.get('index.json')!.data.toString());
    const [descriptor] = index.manifests;
    assert.equal(descriptor.annotations['org.opencontainers.image.ref.name'], 'docker.io/flotilla/hello:1');
    for (const [name, entry] of entries) {
      if (!name.startsWith('blobs/sha256/') || entry.type !== '0') continue;
      assert.equal(name, `blobs/sha256/${createHash('sha256').update(entry.data).digest('hex')}`);
    }
    const manifest = JSON.parse(entries.get(`blobs/sha256/${descriptor.digest.slice(7)}`)!.data.toString());
    const config = JSON.parse(
      entries.get(`blobs/sha256/${manifest.config.digest.slice(7)}`)!.data.toString(),
    );
    assert.deepEqual(config.rootfs.diff_ids, [manifest.layers[0].digest]);
    assert.deepEqual(config.config.Cmd, ['/hello']);
  });

  it('gives the same bytes for the same content', () => {
    const build = () =>
      ociImageTar({ ref: 'docker.io/x/y:1', layer: tarArchive([{ type: 'dir', path: 'etc' }]) });
    assert.ok(build().equals(build()));
  });
});
