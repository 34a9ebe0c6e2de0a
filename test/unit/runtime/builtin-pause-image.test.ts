import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  builtinPauseImageTar,
  builtinPauseRef,
  pauseArchFor,
} from '../../../edge-agent/runtime/images/builtin-pause-image.js';
import { pauseProgram } from '../../../edge-agent/runtime/images/pause-program.js';
import { readTar } from '../../helpers/images/read-tar.js';

function manifestOf(archive: Buffer) {
  const entries = readTar(archive);
  const blob = (digest: string) =>
    JSON.parse(entries.get(`blobs/sha256/${digest.slice(7)}`)!.data.toString());
  const index = JSON.parse(entries.get('index.json')!.data.toString());
  const manifest = blob(index.manifests[0].digest);
  return { entries, index, manifest, config: blob(manifest.config.digest) };
}

describe('the built-in sandbox image', () => {
  it('is named under localhost/, so it never shadows a registry image', () => {
    assert.equal(builtinPauseRef, 'localhost/flotilla/pause:1');
    const { index } = manifestOf(builtinPauseImageTar('x64'));
    assert.equal(index.manifests[0].annotations['io.containerd.image.name'], builtinPauseRef);
  });

  for (const [nodeArch, architecture, machine, variant] of [
    ['x64', 'amd64', 62, undefined],
    ['arm64', 'arm64', 183, undefined],
    ['arm', 'arm', 40, 'v7'],
  ] as const) {
    it(`holds /pause as a static ${architecture} executable and says so in its config`, () => {
      const { entries, manifest, config, index } = manifestOf(builtinPauseImageTar(nodeArch));
      assert.equal(config.architecture, architecture);
      assert.equal(config.variant, variant);
      assert.equal(index.manifests[0].platform.architecture, architecture);
      assert.deepEqual(config.config.Entrypoint, ['/pause']);
      const layer = readTar(entries.get(`blobs/sha256/${manifest.layers[0].digest.slice(7)}`)!.data);
      const pause = layer.get('pause')!;
      assert.equal(pause.mode & 0o111, 0o111, 'executable');
      assert.ok(pause.data.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])), 'an ELF file');
      assert.equal(pause.data.readUInt16LE(18), machine);
      assert.equal(pause.data.readUInt16LE(16), 2, 'ET_EXEC: static, no interpreter');
      assert.ok(pause.data.equals(pauseProgram(pauseArchFor(nodeArch)!)));
    });
  }

  it('is the same bytes every time, so containerd sees the same digest on every gateway', () => {
    const digest = (tar: Buffer) => createHash('sha256').update(tar).digest('hex');
    assert.equal(digest(builtinPauseImageTar('arm64')), digest(builtinPauseImageTar('arm64')));
  });

  it('refuses an architecture it has no program for', () => {
    assert.throws(
      () => builtinPauseImageTar('riscv64'),
      /no built-in sandbox image for architecture riscv64/,
    );
  });
});
