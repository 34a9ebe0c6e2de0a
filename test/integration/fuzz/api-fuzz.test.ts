// The API fuzz suite (issue 11): seeded, structure-aware bodies, patches, paths and queries
// against a real hub with all controllers, over keep-alive HTTPS. FUZZ_SEED, FUZZ_CASES,
// FUZZ_CASE and FUZZ_DISABLE change the run (test/fuzz/fuzz-settings.ts).
import assert from 'node:assert/strict';
import { type ApiCategory, runLane } from '../../fuzz/api-lane.js';
import { CrashWatch } from '../../fuzz/crash-watch.js';
import { FuzzClient } from '../../fuzz/fuzz-client.js';
import { fuzzDataDir } from '../../fuzz/fuzz-data-dir.js';
import { FuzzFindings } from '../../fuzz/fuzz-findings.js';
import { caseIndexes, fuzzSettings } from '../../fuzz/fuzz-settings.js';
import { laneScope } from '../../fuzz/object-corpus.js';
import { ReadyzSampler } from '../../fuzz/readyz-sampler.js';
import { changedSentinels, plantSentinels } from '../../fuzz/sentinels.js';
import { aDeployment, aNamespace } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import { aReadyNode } from '../../helpers/scheduler-builders.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const settings = fuzzSettings();
/** Lanes 0-5 take bodies and patches, 6-7 paths (whose DELETEs would upset the others' models). */
const writeLanes = 6;
const pathLanes = 2;
const readyzEvery = 500;

function laneCases(): { category: ApiCategory; index: number }[][] {
  const lanes: { category: ApiCategory; index: number }[][] = Array.from(
    { length: writeLanes + pathLanes },
    () => [],
  );
  const body = caseIndexes(settings, 'api-body');
  const patch = caseIndexes(settings, 'api-patch');
  for (let i = 0; i < Math.max(body.length, patch.length); i++) {
    if (i < body.length) lanes[body[i]! % writeLanes]!.push({ category: 'api-body', index: body[i]! });
    if (i < patch.length) lanes[patch[i]! % writeLanes]!.push({ category: 'api-patch', index: patch[i]! });
  }
  for (const index of caseIndexes(settings, 'api-path'))
    lanes[writeLanes + (index % pathLanes)]!.push({ category: 'api-path', index });
  return lanes;
}

describe(`fuzz: the API server under structure-aware requests (FUZZ_SEED=${settings.seed})`, function () {
  this.timeout(300_000);
  let t: TestHub;
  let sentinels: Map<string, string>;
  const findings = new FuzzFindings(settings);
  const crashes = new CrashWatch();
  let readyz: ReadyzSampler;

  before(async () => {
    t = await startTestHub(fuzzDataDir(), { controllers: 'all' });
    sentinels = await plantSentinels(t.api);
    for (let lane = 0; lane < writeLanes + pathLanes; lane++) {
      const res = await t.api.post('/api/v1/namespaces', aNamespace(laneScope(lane).namespace));
      assert.equal(res.status, 201, res.text);
    }
    readyz = new ReadyzSampler(t.hub.apiUrl, t.hub.caPem, t.hub.adminToken);
    crashes.start();
  });
  after(async () => {
    crashes.stop();
    await t?.close();
  });

  it('answers every fuzzed body, patch, path and query with a 2xx or a Status, never a 5xx, and stores what it answers', async () => {
    const client = new FuzzClient(t.hub.apiUrl, t.hub.caPem, t.hub.adminToken, writeLanes + pathLanes);
    let ticks = 0;
    const tick = () => {
      if (++ticks % readyzEvery === 0) readyz.sample();
    };
    const started = performance.now();
    await Promise.all(
      laneCases().map((cases, lane) => runLane({ client, settings, findings, readyz, tick }, lane, cases)),
    );
    const seconds = (performance.now() - started) / 1000;
    client.close();
    await readyz.close();
    console.log(findings.summaryLines(seconds).join('\n'));
    console.log(`    /readyz: ${readyz.samples} samples, slowest ${Math.round(readyz.slowest)} ms`);
    assert.equal(findings.list.length, 0, findings.report());
  });

  it('leaves the sentinel objects, which no case names, byte for byte as they were', async () => {
    assert.deepEqual(await changedSentinels(t.api, sentinels), []);
  });

  it('answers /readyz with 200 within 1 s throughout the run', () => {
    assert.deepEqual(readyz.failures, []);
  });

  it('never crashes: no uncaught exception, no unhandled rejection, no unexpected error logged, no prototype pollution', () => {
    assert.deepEqual(crashes.crashes, []);
    assert.deepEqual(crashes.errorLines, []);
    assert.deepEqual(crashes.pollution(), []);
  });

  it('keeps its controllers and scheduler working after the run', async () => {
    assert.equal((await t.api.post('/api/v1/namespaces', aNamespace('after-fuzz'))).status, 201);
    // Tainted, so the fuzz run's pending pods do not fill it before the new one gets there.
    const taint = { key: 'after-fuzz', value: 'only', effect: 'NoSchedule' };
    const { status, ...registration } = aReadyNode('after-fuzz-node', { taints: [taint] });
    const node = await t.api.post('/api/v1/nodes', registration);
    assert.equal(node.status, 201, node.text);
    const ready = await t.api.patch(
      '/api/v1/nodes/after-fuzz-node/status',
      { status },
      'application/merge-patch+json',
    );
    assert.equal(ready.status, 200, ready.text);
    const deployment = aDeployment('after');
    deployment.metadata.namespace = 'after-fuzz';
    deployment.spec.replicas = 1;
    deployment.spec.template.spec.tolerations = [
      { key: 'after-fuzz', operator: 'Equal', value: 'only', effect: 'NoSchedule' },
    ];
    deployment.spec.template.spec.nodeSelector = { 'kubernetes.io/hostname': 'after-fuzz-node' };
    const created = await t.api.post('/apis/apps/v1/namespaces/after-fuzz/deployments', deployment);
    assert.equal(created.status, 201, created.text);
    await eventually(
      async () => {
        const pods = (await t.api.get('/api/v1/namespaces/after-fuzz/pods')).json().items as any[];
        return pods.length === 1 && pods[0].spec.nodeName;
      },
      { timeoutMs: 15_000 },
    );
  });
});
