import assert from 'node:assert/strict';
import { join } from 'node:path';
import { UsageError } from '../../../api/usage-error.js';
import {
  importedRefs,
  parseImageImportArgs,
  runImageImport,
  unqualifiedRefWarning,
} from '../../../cli/image-import-command.js';

function failure(args: string[]): string {
  try {
    parseImageImportArgs(args);
  } catch (err) {
    assert.ok(err instanceof UsageError, `not a usage error: ${String(err)}`);
    return err.message;
  }
  assert.fail('no error');
}

describe('flotilla agent image import arguments', () => {
  it('imports into the managed containerd under the data dir by default, every path resolved', () => {
    assert.deepEqual(parseImageImportArgs(['a.tar', '/b.tar', '--data-dir', '/var/lib/gw']), {
      files: [join(process.cwd(), 'a.tar'), '/b.tar'],
      socket: '/var/lib/gw/containerd/containerd.sock',
      managed: true,
    });
    assert.equal(
      (parseImageImportArgs(['a.tar', '--data-dir', './hub-data/agent']) as { socket: string }).socket,
      join(process.cwd(), 'hub-data/agent/containerd/containerd.sock'),
    );
  });

  it('imports into --runtime-endpoint when given, as a socket path', () => {
    assert.deepEqual(
      parseImageImportArgs(['a.tar', '--data-dir', '/d', '--runtime-endpoint', 'unix:///run/c.sock']),
      { files: [join(process.cwd(), 'a.tar')], socket: '/run/c.sock', managed: false },
    );
    assert.equal(
      (parseImageImportArgs(['a.tar', '--runtime-endpoint', '/run/c.sock']) as { socket: string }).socket,
      '/run/c.sock',
    );
  });

  it('answers --help with help', () => {
    assert.equal(parseImageImportArgs(['--help']), 'help');
  });

  it('rejects a command line without files', () => {
    assert.equal(failure(['--data-dir', '/d']), 'image import: at least one FILE.tar is required');
  });

  it('rejects a command line without a data dir or endpoint', () => {
    assert.equal(failure(['a.tar']), '--data-dir is required (or --runtime-endpoint)');
  });

  it('rejects an endpoint that is not a unix socket', () => {
    assert.equal(
      failure(['a.tar', '--runtime-endpoint', 'tcp://1.2.3.4:1']),
      '--runtime-endpoint: Invalid value: "tcp://1.2.3.4:1": must be a unix socket: unix:///run/containerd/containerd.sock',
    );
  });

  it('rejects unknown flags', () => {
    assert.match(failure(['a.tar', '--data-dir', '/d', '--pull']), /Unknown option '--pull'/);
  });

  it('rejects a missing file before talking to containerd', async () => {
    await assert.rejects(
      runImageImport(['/nonexistent/x.tar', '--data-dir', '/nonexistent']),
      (err: unknown) =>
        err instanceof UsageError && err.message === 'image import: /nonexistent/x.tar: no such file',
    );
  });

  it('says the agent must run when its containerd does not answer', async () => {
    await assert.rejects(runImageImport([import.meta.filename, '--data-dir', '/nonexistent']), {
      message:
        "the agent's containerd is not running (nothing answers on /nonexistent/containerd/containerd.sock); start the agent first or pass --runtime-endpoint",
    });
  });
});

describe('flotilla agent image import output', () => {
  it('reads the imported refs from ctr output', () => {
    const output = [
      'unpacking docker.io/flotilla/imported:1 (sha256:0123abcd)...done',
      'unpacking localhost/app:2 (sha256:4567ef01)...done',
      '',
    ].join('\n');
    assert.deepEqual(importedRefs(output), ['docker.io/flotilla/imported:1', 'localhost/app:2']);
  });

  it('warns about refs CRI would normalise to another name', () => {
    assert.equal(unqualifiedRefWarning('docker.io/flotilla/imported:1'), undefined);
    assert.equal(unqualifiedRefWarning('localhost/app:2'), undefined);
    assert.equal(
      unqualifiedRefWarning('flotilla/app:1'),
      'flotilla/app:1 is not fully qualified: pods naming it look up docker.io/flotilla/app:1 and will not find it; retag the image as docker.io/flotilla/app:1 before saving the tar',
    );
  });
});
