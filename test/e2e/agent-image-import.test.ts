// `flotilla agent image import`: a tar imported with the real binary is visible to CRI.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, runFlotilla } from '../helpers/hub-process.js';
import { buildBusyboxImage } from '../helpers/images/test-images.js';
import {
  skipUnlessRuntimeHost,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from '../helpers/test-gateway-runtime.js';

const IMPORTED_REF = 'docker.io/flotilla/imported:1';

async function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = runFlotilla(args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await exited(child);
  return { code, stdout, stderr };
}

describe('flotilla agent image import', function () {
  this.timeout(120_000);
  let gw: TestGatewayRuntime | undefined;
  let dir: string;

  before(async function () {
    skipUnlessRuntimeHost(this);
    dir = await mkdtemp(join(tmpdir(), 'flotilla-image-import-'));
    gw = await startTestGatewayRuntime('imgimp');
  });

  after(async () => {
    await gw?.teardown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports a tar into the runtime, where CRI finds it by its fully qualified name', async () => {
    const node = gw as TestGatewayRuntime;
    const tar = join(dir, 'imported.tar');
    await buildBusyboxImage(tar, IMPORTED_REF);
    assert.equal(await node.cri.imageStatus(IMPORTED_REF), undefined);
    const result = await runToExit([
      'agent',
      'image',
      'import',
      tar,
      '--runtime-endpoint',
      node.containerd.endpoint,
      '--data-dir',
      join(dir, 'agent'),
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`imported ${IMPORTED_REF}`));
    const image = await node.cri.imageStatus(IMPORTED_REF);
    assert.ok(image, 'image not found through CRI');
    assert.ok(image.repoTags.includes(IMPORTED_REF), image.repoTags.join(', '));
  });

  it("says so when the agent's containerd is not running", async () => {
    const tar = join(dir, 'imported.tar');
    const result = await runToExit(['agent', 'image', 'import', tar, '--data-dir', join(dir, 'no-agent')]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /the agent's containerd is not running .*; start the agent first or pass --runtime-endpoint/,
    );
  });
});
