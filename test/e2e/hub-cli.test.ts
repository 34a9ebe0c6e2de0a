// The `flotilla hub` command: first start, bad input, restarts, and kill -9.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ApiClient } from '../helpers/api-client.js';
import { exited, flotillaBin, runFlotilla, startHubProcess, tempDir } from '../helpers/hub-process.js';

async function runToExit(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = runFlotilla(args);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const code = await exited(child);
  return { code, output };
}

describe('flotilla hub command', function () {
  this.timeout(60_000);

  it('is built executable, as npx runs it (the README says `npx flotilla hub`)', () => {
    // npx links the package's bin and runs it through the shell; tsc writes files without the
    // execute bit, so a rebuild under an existing npx link would fail with "Permission denied".
    assert.equal(statSync(flotillaBin).mode & 0o111, 0o111);
    assert.match(readFileSync(flotillaBin, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  it('creates the data dir, a CA, a serving certificate, a token and a kubeconfig on first start', async () => {
    const dir = join(tempDir('first'), 'nested', 'data');
    const hub = await startHubProcess(dir);
    try {
      for (const file of [
        'pki/ca.crt',
        'pki/ca.key',
        'pki/apiserver.crt',
        'pki/apiserver.key',
        'tokens/admin',
        'admin.kubeconfig',
      ]) {
        assert.ok(existsSync(join(dir, file)), file);
      }
      assert.equal(
        statSync(join(dir, 'pki/ca.key')).mode & 0o077,
        0,
        'private keys are not readable by others',
      );
      const config = parseYaml(readFileSync(hub.kubeconfig, 'utf8'));
      assert.equal(config.clusters[0].cluster.server, hub.apiUrl);
      assert.equal(config.users[0].user.token, hub.token);
      const ca = Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
      const res = await new ApiClient(hub.apiUrl, ca, hub.token).get('/api/v1/namespaces/default');
      assert.equal(res.status, 200, 'the CA in the kubeconfig verifies the serving certificate');
    } finally {
      await hub.stop();
    }
  });

  it('keeps credentials across a restart', async () => {
    const dir = tempDir('creds');
    const first = await startHubProcess(dir);
    const ca = readFileSync(join(dir, 'pki/ca.crt'), 'utf8');
    await first.stop();
    const second = await startHubProcess(dir);
    try {
      assert.equal(second.token, first.token);
      assert.equal(readFileSync(join(dir, 'pki/ca.crt'), 'utf8'), ca);
    } finally {
      await second.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps every acknowledged write when killed with SIGKILL', async () => {
    const dir = tempDir('kill9');
    const hub = await startHubProcess(dir);
    const ca = readFileSync(join(dir, 'pki/ca.crt'), 'utf8');
    const api = new ApiClient(hub.apiUrl, ca, hub.token);
    const acknowledged: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await api.post('/api/v1/namespaces/default/configmaps', {
        metadata: { name: `ack-${i}` },
        data: { i: String(i) },
      });
      if (res.status === 201) acknowledged.push(`ack-${i}`);
    }
    await hub.kill();
    const again = await startHubProcess(dir);
    try {
      const list = await new ApiClient(again.apiUrl, ca, again.token).get(
        '/api/v1/namespaces/default/configmaps',
      );
      const names = list.json().items.map((i: any) => i.metadata.name);
      assert.equal(acknowledged.length, 50);
      for (const name of acknowledged) assert.ok(names.includes(name), `${name} survived kill -9`);
    } finally {
      await again.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second hub on the same data dir', async () => {
    const dir = tempDir('lock');
    const hub = await startHubProcess(dir);
    try {
      const second = await runToExit([
        'hub',
        '--data-dir',
        dir,
        '--bind',
        '127.0.0.1',
        '--api-port',
        '0',
        '--mqtt-port',
        '0',
      ]);
      assert.notEqual(second.code, 0);
      assert.match(second.output, /in use by another hub/);
    } finally {
      await hub.stop();
    }
  });

  it('rejects bad flags with one clear line and a non-zero exit', async () => {
    const cases: [string[], RegExp][] = [
      [['hub'], /--data-dir is required/],
      [['hub', '--data-dir', '/tmp/x', '--api-port', 'lots'], /--api-port must be a port number/],
      [['hub', '--data-dir', '/tmp/x', '--bogus'], /Unknown option '--bogus'/],
      [
        [
          'hub',
          '--data-dir',
          '/tmp/x',
          '--api-port',
          '0',
          '--mqtt-port',
          '0',
          '--service-cidr',
          '10.0.0.0/40',
        ],
        /invalid IPv4 CIDR/,
      ],
      [
        ['hub', '--data-dir', '/tmp/x', '--local-agent', 'maybe'],
        /--local-agent: Unsupported value: "maybe"/,
      ],
      [
        ['hub', '--data-dir', '/tmp/x', '--sparkplug-host-id', 'scada'],
        /--sparkplug-host-id needs --sparkplug-group/,
      ],
      [
        ['hub', '--data-dir', '/tmp/x', '--sparkplug-group', 'plant/1'],
        /--sparkplug-group: Invalid value: "plant\/1": must not contain/,
      ],
      [['fly'], /unknown command "fly"/],
    ];
    for (const [args, pattern] of cases) {
      const { code, output } = await runToExit(args);
      assert.notEqual(code, 0, args.join(' '));
      assert.match(output.split('\n')[0]!, pattern, args.join(' '));
    }
  });

  it('rejects an unusable data dir', async () => {
    const parent = tempDir('unusable');
    const file = join(parent, 'not-a-dir');
    writeFileSync(file, 'x');
    const { code, output } = await runToExit([
      'hub',
      '--data-dir',
      join(file, 'data'),
      '--api-port',
      '0',
      '--mqtt-port',
      '0',
    ]);
    assert.notEqual(code, 0);
    assert.match(output, /^flotilla: cannot use data dir/);
    rmSync(parent, { recursive: true, force: true });
  });

  it('exits cleanly on SIGTERM', async () => {
    const hub = await startHubProcess();
    assert.equal(await hub.stop(), 0);
    assert.ok(!existsSync(join(hub.dataDir, 'hub.lock')), 'the lock is released');
  });
});
