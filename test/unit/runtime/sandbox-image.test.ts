import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinPauseRef } from '../../../edge-agent/runtime/images/builtin-pause-image.js';
import {
  ensureSandboxImage,
  initialSandboxImage,
  readSandboxChoice,
  saveSandboxChoice,
  upstreamPauseImage,
} from '../../../edge-agent/runtime/sandbox-image.js';
import { captureLogger } from '../../helpers/capture-logger.js';

/** A runtime's image store: what it has, and whether its registry answers. */
function imageStore(has: string[], pull: 'works' | 'fails' | 'hangs') {
  const images = new Set(has);
  const imported: Buffer[] = [];
  const lines: string[] = [];
  return {
    images,
    imported,
    lines,
    deps: {
      runtime: {
        imageStatus: async (ref: string) => (images.has(ref) ? ({ id: ref } as never) : undefined),
        pullImage: (ref: string) => {
          if (pull === 'hangs') return new Promise<string>(() => {});
          if (pull === 'fails') return Promise.reject(new Error('lookup registry.k8s.io: no such host'));
          images.add(ref);
          return Promise.resolve(ref);
        },
      },
      importTar: async (tar: Buffer) => {
        imported.push(tar);
        images.add(builtinPauseRef);
      },
      log: captureLogger(lines),
      pullTimeoutMs: 50,
    },
  };
}

describe('the sandbox image of the managed containerd', () => {
  it('starts with --pause-image, else the image chosen before, else the upstream pause image', () => {
    assert.equal(initialSandboxImage('docker.io/x/pause:1', builtinPauseRef), 'docker.io/x/pause:1');
    assert.equal(initialSandboxImage(undefined, builtinPauseRef), builtinPauseRef);
    assert.equal(initialSandboxImage(undefined, undefined), upstreamPauseImage);
    assert.equal(upstreamPauseImage, 'registry.k8s.io/pause:3.10');
  });

  it('uses an image already there without asking the registry', async () => {
    const store = imageStore([upstreamPauseImage], 'fails');
    assert.equal(await ensureSandboxImage(upstreamPauseImage, false, store.deps), upstreamPauseImage);
    assert.equal(store.imported.length, 0);
  });

  it('pulls the upstream image when the registry answers', async () => {
    const store = imageStore([], 'works');
    assert.equal(await ensureSandboxImage(upstreamPauseImage, false, store.deps), upstreamPauseImage);
    assert.ok(store.images.has(upstreamPauseImage));
    assert.equal(store.imported.length, 0);
  });

  for (const pull of ['fails', 'hangs'] as const) {
    it(`falls back to the built-in image when the pull ${pull}`, async () => {
      const store = imageStore([], pull);
      assert.equal(await ensureSandboxImage(upstreamPauseImage, false, store.deps), builtinPauseRef);
      assert.equal(store.imported.length, 1);
      assert.match(
        store.lines.join('\n'),
        /cannot be pulled .*using the built-in localhost\/flotilla\/pause:1/,
      );
    });
  }

  it('imports the built-in image again when it went missing, without a pull', async () => {
    const store = imageStore([], 'works');
    assert.equal(await ensureSandboxImage(builtinPauseRef, false, store.deps), builtinPauseRef);
    assert.equal(store.imported.length, 1);
  });

  it('never replaces an image named with --pause-image, and says why pods cannot start', async () => {
    const store = imageStore([], 'fails');
    const ref = 'registry.example/pause:9';
    assert.equal(await ensureSandboxImage(ref, true, store.deps), ref);
    assert.equal(store.imported.length, 0);
    assert.match(store.lines.join('\n'), /--pause-image\) is missing and cannot be pulled/);
  });

  it('remembers the choice in the containerd directory, and forgets it on request', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-sandbox-'));
    try {
      assert.equal(readSandboxChoice(dir), undefined);
      saveSandboxChoice(dir, builtinPauseRef);
      assert.equal(readSandboxChoice(dir), builtinPauseRef);
      saveSandboxChoice(dir, undefined);
      assert.equal(readSandboxChoice(dir), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
