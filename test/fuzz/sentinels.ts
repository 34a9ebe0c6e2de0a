// Sentinel objects: created before fuzzing in a namespace no fuzz case ever names, read back
// byte for byte afterwards. Whatever the fuzzer sent, nothing outside what its own valid
// requests addressed may change.
import type { ApiClient } from '../helpers/api-client.js';
import * as b from '../helpers/builders.js';
import { eventually } from '../helpers/eventually.js';
import { resourcePath } from './fuzz-request.js';
import { fuzzedResources } from './object-corpus.js';

/** Fuzz vocabularies never contain this word. */
export const sentinelNamespace = 'sentinel';

/** Kinds whose objects no controller rewrites once settled (pods get scheduled, so none here). */
function sentinelObjects(): b.TestObject[] {
  const deployment = b.aDeployment('keep');
  deployment.spec.replicas = 1;
  const service = b.aService('keep');
  const lease = b.aLease('keep');
  const cronJob = b.aCronJob('keep');
  cronJob.spec.suspend = true; // a schedule firing mid-run would rightly change its status
  return [
    b.aConfigMap('keep'),
    b.aSecret('keep'),
    service,
    deployment,
    lease,
    b.anEvent('keep.1'),
    b.aControllerRevision('keep'),
    b.anEndpointSlice('keep'),
    cronJob,
  ].map((obj) => {
    obj.metadata.namespace = sentinelNamespace;
    if (obj.involvedObject) obj.involvedObject.namespace = sentinelNamespace;
    return obj;
  });
}

function pathOf(obj: b.TestObject): string {
  const info = fuzzedResources.find((r) => r.kind === obj.kind)!;
  return resourcePath(info, obj.metadata.namespace, obj.metadata.name);
}

/** Creates the sentinels, waits for the controllers to settle them, returns their text by path. */
export async function plantSentinels(api: ApiClient): Promise<Map<string, string>> {
  const ns = await api.post('/api/v1/namespaces', b.aNamespace(sentinelNamespace));
  if (ns.status !== 201) throw new Error(`sentinel namespace: ${ns.status} ${ns.text}`);
  const objects = sentinelObjects();
  for (const obj of objects) {
    const info = fuzzedResources.find((r) => r.kind === obj.kind)!;
    const res = await api.post(resourcePath(info, sentinelNamespace), obj);
    if (res.status !== 201) throw new Error(`sentinel ${obj.kind}: ${res.status} ${res.text}`);
  }
  // The Deployment controller writes status once; the snapshot is taken after it has.
  await eventually(async () => {
    const d = (await api.get(pathOf(objects[3]!))).json();
    return d.status?.observedGeneration === d.metadata.generation && d.status?.replicas === 1;
  });
  return readSentinels(api, objects.map(pathOf).concat(`/api/v1/namespaces/${sentinelNamespace}`));
}

export async function readSentinels(api: ApiClient, paths: Iterable<string>): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const path of paths) texts.set(path, (await api.get(path)).text);
  return texts;
}

/** Sentinels whose text changed, with both versions. */
export async function changedSentinels(api: ApiClient, before: Map<string, string>): Promise<string[]> {
  const after = await readSentinels(api, before.keys());
  return [...before]
    .filter(([path, text]) => after.get(path) !== text)
    .map(([path, text]) => `${path} changed:\n  before ${text}\n  after  ${after.get(path)}`);
}
