import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ociImageTar } from '../../helpers/images/oci-layout.js';
import { tarArchive } from '../../helpers/images/tar-writer.js';

/** Reads back the entries of an uncompressed ustar archive, checking each header's checksum. */
function readTar(archive: Buffer): Map<string, { type: string; data: Buffer; target: string }> {
  const entries = new Map<string, { type: string; data: Buffer; target: string }>();
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const expected = Number.parseInt(field(148, 8), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
    assert.equal(sum, expected, `checksum of ${field(0, 100)}`);
    const size = Number.parseInt(field(124, 12), 8);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    entries.set(name, {
      type: field(156, 1),
      data: archive.subarray(offset + 512, offset + 512 + size),
      target: field(157, 100),
    });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

describe('test image builder', () => {
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
