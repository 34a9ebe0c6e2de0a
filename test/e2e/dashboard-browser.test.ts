import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { RunningAgent } from '../../edge-agent/agent.js';
import { FakeRuntime } from '../../edge-agent/runtime/fake-runtime.js';
import { ApiClient } from '../helpers/api-client.js';
import { chromiumPath, launchChromium, screenshot } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess, tempDir } from '../helpers/hub-process.js';
import { Kubectl } from '../helpers/kubectl.js';
import { startFakeGateway } from '../helpers/test-hub.js';

// The page's globals, inside page.evaluate (the tests are compiled without the DOM library).
declare const document: any;
declare const sessionStorage: any;

/** The text of each cell of a table row, by the cell's class. */
async function rowOf(page: Page, selector: string): Promise<Record<string, string> | undefined> {
  return page.evaluate((sel) => {
    const row = document.querySelector(sel);
    if (!row) return undefined;
    return Object.fromEntries(
      [...row.querySelectorAll('td')].map((td: any) => [(td as any).className.split(' ')[0], td.textContent]),
    );
  }, selector);
}

/** The machine is shared with other engineers' tests: a loaded one may take a while. */
const patient = { timeoutMs: 20_000 };

describe('the web dashboard in a real browser', function () {
  this.timeout(60_000);
  const executable = chromiumPath();
  const gateways = new Map<string, { agent: RunningAgent; dir: string; runtime: FakeRuntime }>();
  const shots: string[] = [];
  // The hub as a user runs it: `flotilla hub` from the built package (dist/), which serves the
  // dashboard's files from its own copy.
  let hub: HubProcess;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;

  before(async function () {
    if (!executable) {
      console.log('    skipped: no chromium (apt-get install chromium)');
      this.skip();
    }
    hub = await startHubProcess();
    api = new ApiClient(hub.apiUrl, readFileSync(join(hub.dataDir, 'pki', 'ca.crt'), 'utf8'), hub.token);
    for (const node of ['gw-north', 'gw-south']) {
      const dir = tempDir(`dash-${node}`);
      const runtime = new FakeRuntime();
      gateways.set(node, { agent: await startFakeGateway(hub, node, runtime, dir), dir, runtime });
    }
    await eventually(async () => (await api.get('/api/v1/nodes')).json().items.length === 2, {
      timeoutMs: 30_000,
    });
    for (const [node, zone] of [
      ['gw-north', 'north'],
      ['gw-south', 'south'],
    ]) {
      const labels = { 'flotilla.io/site': 'hall-3', 'topology.kubernetes.io/zone': zone };
      const res = await api.patch(
        `/api/v1/nodes/${node}`,
        { metadata: { labels } },
        'application/merge-patch+json',
      );
      assert.equal(res.status, 200, res.text);
    }
    browser = await launchChromium(executable!);
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
  });

  after(async () => {
    await browser?.close();
    for (const { agent, dir } of gateways.values()) {
      await agent.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
    if (shots.length > 0) console.log(`    screenshots: ${shots.join(', ')}`);
  });

  it('asks for a token and refuses a wrong one, showing nothing of the fleet', async () => {
    assert.match(hub.output(), new RegExp(`web dashboard on ${hub.apiUrl}/ `));
    await page.goto(`${hub.apiUrl}/`);
    await page.waitForSelector('#login:not([hidden])');
    await page.type('#token', 'not-a-token');
    await page.click('#login button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#login-error')?.textContent !== '');
    assert.equal(
      await page.$eval('#login-error', (e) => e.textContent),
      'The hub does not accept this token.',
    );
    assert.equal(await page.$eval('#fleet', (e) => (e as { hidden: boolean }).hidden), true);
    assert.equal(await page.$$eval('#gateways tbody tr', (rows) => rows.length), 0);
  });

  it('logs in with a token and shows the site and its gateways online, with arch and agent version', async () => {
    await page.type('#token', hub.token);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('tr[data-node="gw-south"] td.zone');
    await page.waitForFunction(() =>
      document.querySelector('[data-site="hall-3"]')?.textContent?.includes('2 of 2 gateways online'),
    );
    const south = (await eventually(async () => {
      const row = await rowOf(page, 'tr[data-node="gw-south"]');
      return row?.state === 'online' && row.zone === 'south' ? row : undefined;
    }, patient)) as Record<string, string>;
    assert.equal(south.site, 'hall-3');
    assert.equal(south['last-seen'], 'now');
    assert.match(south.arch!, /^(amd64|arm64|arm)$/);
    assert.match(south.agent!, /^\d+\.\d+\.\d+ \(v1\.\d+\.\d+-flotilla\)$/);
    assert.notEqual(south.memory, '');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('flotilla.token')), hub.token);
    shots.push(await screenshot(page, 'dashboard-gateways'));
  });

  it('shows a Deployment’s desired and ready pods as they come up, and a gateway’s pods', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'docker.io/library/busybox:1.36' }] },
        },
      },
    };
    assert.equal((await api.post('/apis/apps/v1/namespaces/default/deployments', deployment)).status, 201);
    const row = (await eventually(
      async () => {
        const r = await rowOf(page, 'tr[data-workload="default/Deployment/web"]');
        return r?.ready === '2' ? r : undefined;
      },
      { timeoutMs: 30_000 },
    )) as Record<string, string>;
    assert.equal(row.desired, '2');
    assert.equal(row.rollout, 'complete');
    const pod = (await api.get('/api/v1/namespaces/default/pods')).json().items[0];
    // The container writes a line, read from the gateway over MQTT when the pod is picked.
    const runtime = gateways.get(pod.spec.nodeName)!.runtime;
    const sandbox = (await runtime.listPodSandboxes()).find((sb) => sb.metadata.name === pod.metadata.name);
    const container = (await runtime.listContainers()).find((c) => c.podSandboxId === sandbox?.id);
    await runtime.emitLog(container!.id, 'stdout', 'hello from the web dashboard test');
    await page.click(`tr[data-node="${pod.spec.nodeName}"]`);
    await page.waitForSelector(`tr[data-pod="default/${pod.metadata.name}"]`);
    await page.click(`tr[data-pod="default/${pod.metadata.name}"]`);
    await page.waitForFunction(() =>
      document.querySelector('#pod-logs')?.textContent?.includes('hello from the web dashboard test'),
    );
    const reasons = await page.$$eval('#pod-events tbody tr td:nth-child(3)', (cells) =>
      cells.map((c) => c.textContent),
    );
    // The scheduler's event is written before the pod could start; the gateway's may still be on their way.
    assert.ok(reasons.includes('Scheduled'), reasons.join(', '));
    shots.push(await screenshot(page, 'dashboard-workload-and-pod'));
  });

  it('turns a gateway that goes away to offline, with its last-seen counted from when it went', async () => {
    const stoppedAt = Date.now();
    await gateways.get('gw-north')!.agent.stop();
    const row = (await eventually(async () => {
      const r = await rowOf(page, 'tr[data-node="gw-north"]');
      return r?.state === 'offline' ? r : undefined;
    }, patient)) as Record<string, string>;
    const seconds = Number(/^(\d+)s ago$/.exec(row['last-seen']!)?.[1]);
    const since = Math.ceil((Date.now() - stoppedAt) / 1000);
    assert.ok(seconds >= 0 && seconds <= since + 1, `last seen ${row['last-seen']}, stopped ${since}s ago`);
    assert.match(
      (await page.$eval('[data-site="hall-3"]', (e) => e.textContent)) ?? '',
      /1 of 2 gateways online/,
    );
    assert.equal((await rowOf(page, 'tr[data-node="gw-south"]'))?.state, 'online');
    shots.push(await screenshot(page, 'dashboard-gateway-offline'));
  });

  it('leaves kubectl on the same port as it was: discovery, get and raw /', async () => {
    const kubectl = new Kubectl(hub.kubeconfig);
    assert.match(await kubectl.ok(['api-resources']), /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    assert.match(await kubectl.ok(['get', 'nodes']), /gw-south\s+Ready/);
    const raw = await kubectl.run(['get', '--raw', '/']);
    assert.doesNotMatch(raw.stdout + raw.stderr, /<html|<!doctype/i);
  });

  it('stays logged in across a reload of the tab, and forgets the token on log out', async () => {
    await page.reload();
    await page.waitForSelector('tr[data-node="gw-south"]');
    await page.click('#logout');
    await page.waitForSelector('#login:not([hidden])');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('flotilla.token')), null);
  });
});
