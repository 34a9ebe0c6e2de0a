// Which pods reference each config map and secret, kept as pods come and go, so that a config
// map or secret written in a namespace of 100,000 pods reaches the gateways whose pods use it
// without walking every pod of the namespace (every pod references its namespace's
// kube-root-ca.crt, and Helm writes a Secret per release next to the pods).
import type { KubeObject } from '../../api/types.js';
import { podReferences } from './desired-state.js';

export type ReferencedKind = 'configMaps' | 'secrets';

export class PodReferrers {
  /** `namespace/kind/name` → the informer keys (objectKey) of the pods referencing it. */
  private readonly referrers = new Map<string, Set<string>>();
  /** Pod key → what it references (the keys above), to undo at its next change. */
  private readonly references = new Map<string, string[]>();

  /** The pod `key` is now `pod` (undefined: gone). */
  set(key: string, pod: KubeObject | undefined): void {
    for (const ref of this.references.get(key) ?? []) {
      const pods = this.referrers.get(ref);
      pods?.delete(key);
      if (pods?.size === 0) this.referrers.delete(ref);
    }
    this.references.delete(key);
    if (!pod) return;
    const namespace = pod.metadata.namespace ?? '';
    const { configMaps, secrets } = podReferences(pod);
    const refs: string[] = [];
    for (const [kind, names] of [
      ['configMaps', configMaps],
      ['secrets', secrets],
    ] as const) {
      for (const name of names) {
        const ref = refKey(namespace, kind, name);
        let pods = this.referrers.get(ref);
        if (!pods) {
          pods = new Set();
          this.referrers.set(ref, pods);
        }
        pods.add(key);
        refs.push(ref);
      }
    }
    if (refs.length > 0) this.references.set(key, refs);
  }

  /** The keys of the pods referencing that config map or secret. */
  of(namespace: string, kind: ReferencedKind, name: string): ReadonlySet<string> {
    return this.referrers.get(refKey(namespace, kind, name)) ?? new Set();
  }
}

function refKey(namespace: string, kind: ReferencedKind, name: string): string {
  return `${namespace}/${kind}/${name}`;
}
