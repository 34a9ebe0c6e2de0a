// One fuzz lane: its cases one after another over keep-alive HTTPS, each answer put through
// the oracles — no 5xx, refusals as Status, a 2xx write reads back as answered, and a refused
// or dry-run write leaves the object it addressed as it was.
import { isDeepStrictEqual } from 'node:util';
import { bodyCase } from './body-cases.js';
import type { FuzzClient, FuzzResponse } from './fuzz-client.js';
import { describeRequest, type FuzzFindings } from './fuzz-findings.js';
import { type FuzzRequest, resourcePath } from './fuzz-request.js';
import type { FuzzCategory, FuzzSettings } from './fuzz-settings.js';
import { laneScope } from './object-corpus.js';
import { patchCase } from './patch-cases.js';
import { pathCase } from './path-cases.js';
import { Prng } from './prng.js';
import type { ReadyzSampler } from './readyz-sampler.js';
import { answerProblem } from './status-oracle.js';

export type ApiCategory = Exclude<FuzzCategory, 'mqtt'>;

const generators = { 'api-body': bodyCase, 'api-patch': patchCase, 'api-path': pathCase };

/** Kinds no controller writes: whatever is stored is what the lane's requests left there. */
const quietKinds = new Set(['ConfigMap', 'Secret', 'Lease', 'ControllerRevision', 'Event']);

export interface LaneDeps {
  client: FuzzClient;
  settings: FuzzSettings;
  findings: FuzzFindings;
  readyz: ReadyzSampler;
  /** Called once per case; samples /readyz every so many cases over all lanes. */
  tick: () => void;
}

/** The request of one case, exactly as the run generates it. */
export function generateCase(
  settings: FuzzSettings,
  category: ApiCategory,
  index: number,
  lane: number,
): FuzzRequest {
  return generators[category](Prng.forCase(settings.seed, category, index), laneScope(lane), settings);
}

type Stored = Record<string, any> | null;

export async function runLane(
  deps: LaneDeps,
  lane: number,
  cases: { category: ApiCategory; index: number }[],
): Promise<void> {
  const model = new Map<string, Stored>();
  for (const { category, index } of cases) {
    const req = generateCase(deps.settings, category, index, lane);
    const fail = (problem: string) =>
      deps.findings.add({ category, index, problem, request: describeRequest(req) });
    deps.tick();
    const started = performance.now();
    let res: FuzzResponse;
    try {
      res = await deps.client.send(req);
    } catch (err) {
      fail(`no answer: ${(err as Error).message}`);
      deps.findings.ran(category, performance.now() - started);
      continue;
    }
    deps.findings.answered(category, res.status);
    const problem = answerProblem(req.method, req.path, res);
    if (problem) fail(problem);
    else await checkStore(deps, req, res, model, fail);
    deps.findings.ran(
      category,
      performance.now() - started,
      `${category}:${index} ${req.note} ${req.method} ${req.path.slice(0, 100)}`,
    );
  }
}

async function getObject(client: FuzzClient, path: string): Promise<Stored | 'error'> {
  const res = await client.send({ method: 'GET', path, headers: {} });
  if (res.status === 404) return null;
  if (res.status !== 200) return 'error';
  return JSON.parse(res.text);
}

/** Objects the garbage collector or a finalizer may still change on their own. */
function settling(obj: Stored): boolean {
  const m = obj?.metadata;
  return Boolean(m?.ownerReferences?.length || m?.finalizers?.length || m?.deletionTimestamp);
}

async function checkStore(
  deps: LaneDeps,
  req: FuzzRequest,
  res: FuzzResponse,
  model: Map<string, Stored>,
  fail: (problem: string) => void,
): Promise<void> {
  const ok = res.status >= 200 && res.status < 300;
  const write = ['POST', 'PUT', 'PATCH'].includes(req.method);
  if (ok && write && !req.dryRun && req.target) {
    const answered = JSON.parse(res.text);
    if (answered?.kind === req.target.info.kind && typeof answered.metadata?.name === 'string') {
      const path = resourcePath(req.target.info, answered.metadata.namespace, answered.metadata.name);
      const stored = await getObject(deps.client, path);
      if (stored === 'error') fail(`read-back of ${path} failed`);
      else if (
        stored?.metadata?.resourceVersion === answered.metadata.resourceVersion &&
        !isDeepStrictEqual(stored, answered)
      ) {
        fail(
          `read-back of ${path} differs from the answer:\n  answered ${res.text.slice(0, 500)}\n  stored   ${JSON.stringify(stored).slice(0, 500)}`,
        );
      }
    }
  }
  const target = req.target;
  if (!target || !quietKinds.has(target.info.kind)) return;
  const path = resourcePath(target.info, target.namespace, target.name);
  const now = await getObject(deps.client, path);
  if (now === 'error') return fail(`reading ${path} failed`);
  const before = model.get(path);
  const unchangedExpected = !ok || req.dryRun;
  if (unchangedExpected && before !== undefined && !settling(before)) {
    const same = before === null ? now === null : now !== null && isDeepStrictEqual(now, before);
    if (!same) {
      fail(
        `a ${ok ? 'dry-run' : `refused (${res.status})`} request changed ${path}:\n  before ${JSON.stringify(before).slice(0, 400)}\n  after  ${JSON.stringify(now).slice(0, 400)}`,
      );
    }
  }
  model.set(path, now);
}
