import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseImagePackArgs, runImagePack } from '../../../cli/image-pack-command.js';
import { readTar } from '../../helpers/images/read-tar.js';
import { usageError } from './agent-args.js';

describe('flotilla agent image pack', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-pack-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A small root filesystem: a program, a symlink to it, a private directory. */
  function aRootfs(): string {
    const root = join(dir, 'rootfs');
    mkdirSync(join(root, 'bin'), { recursive: true });
    writeFileSync(join(root, 'bin', 'tool'), '#!/bin/tool\n');
    chmodSync(join(root, 'bin', 'tool'), 0o755);
    symlinkSync('tool', join(root, 'bin', 'sh'));
    mkdirSync(join(root, 'root'), { mode: 0o700 });
    return root;
  }

  it('writes a one-layer OCI image of a directory: files, modes and symlinks as they are', () => {
    const root = aRootfs();
    const lines: string[] = [];
    const output = join(dir, 'tool.tar');
    runImagePack([root, '--tag', 'localhost/tool:1', '--output', output, '--entrypoint', '/bin/sh'], (line) =>
      lines.push(line),
    );
    assert.match(lines[0] ?? '', /tool\.tar: localhost\/tool:1 \((amd64|arm64|arm), \d+ bytes\)$/);
    const image = readTar(readFileSync(output));
    const blob = (digest: string) => image.get(`blobs/sha256/${digest.slice(7)}`)!.data;
    const index = JSON.parse(image.get('index.json')!.data.toString());
    assert.equal(index.manifests[0].annotations['io.containerd.image.name'], 'localhost/tool:1');
    const manifest = JSON.parse(blob(index.manifests[0].digest).toString());
    assert.deepEqual(JSON.parse(blob(manifest.config.digest).toString()).config.Entrypoint, ['/bin/sh']);
    const layer = readTar(blob(manifest.layers[0].digest));
    assert.deepEqual([...layer.keys()], ['bin/', 'bin/sh', 'bin/tool', 'root/']);
    assert.equal(layer.get('bin/tool')?.mode, 0o755);
    assert.equal(layer.get('bin/sh')?.target, 'tool');
    assert.equal(layer.get('root/')?.mode, 0o700);
  });

  it('gives a tar that GNU tar reads (valid ustar)', () => {
    const root = aRootfs();
    const output = join(dir, 'tool.tar');
    runImagePack([root, '--tag', 'localhost/tool:1', '--output', output], () => {});
    const listing = execFileSync('tar', ['-tf', output], { encoding: 'utf8' });
    assert.match(listing, /^index\.json$/m);
    assert.match(listing, /^oci-layout$/m);
  });

  it('resolves DIR and --output against the current directory', () => {
    const options = parseImagePackArgs(['rootfs', '--tag', 'localhost/x:1', '--output', 'x.tar']);
    assert.ok(options !== 'help');
    assert.equal(options.root, join(process.cwd(), 'rootfs'));
    assert.equal(options.output, join(process.cwd(), 'x.tar'));
  });

  it('names what is wrong with a command line', () => {
    const failure = (args: string[]) => usageError(() => parseImagePackArgs(args));
    assert.equal(
      failure(['--tag', 'localhost/x:1', '--output', 'x.tar']),
      'image pack: exactly one DIR is required',
    );
    assert.equal(failure(['d', '--output', 'x.tar']), '--tag is required');
    assert.equal(
      failure(['d', '--tag', 'busybox:1', '--output', 'x.tar']),
      '--tag: Invalid value: "busybox:1": must be fully qualified, e.g. docker.io/library/busybox:1',
    );
    assert.equal(failure(['d', '--tag', 'localhost/x:1']), '--output is required');
    assert.equal(
      failure(['d', '--tag', 'localhost/x:1', '--output', 'x.tar', '--arch', 'riscv64']),
      '--arch: Unsupported value: "riscv64": supported values: "amd64", "arm64", "arm"',
    );
    assert.equal(
      usageError(() => runImagePack([join(dir, 'missing'), '--tag', 'localhost/x:1', '--output', 'x.tar'])),
      `image pack: ${join(dir, 'missing')}: not a directory`,
    );
  });

  it('refuses a device or FIFO in the tree, naming it', () => {
    const root = aRootfs();
    execFileSync('mkfifo', [join(root, 'pipe')]);
    assert.equal(
      usageError(() => runImagePack([root, '--tag', 'localhost/x:1', '--output', join(dir, 'x.tar')])),
      `image pack: ${join(root, 'pipe')}: not a file, directory or symlink`,
    );
  });
});
