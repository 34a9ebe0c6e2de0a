import { type Logger, silentLogger } from '../../../api/logger.js';
// Serves what the stored CustomResourceDefinitions describe: at the registry's open, then on
// every change, the kinds of each CRD whose names do not clash with an older CRD's are added to
// (or removed from) the hub's KindRegistry. A CRD removed from the store takes its objects with
// it (normally the CRD controller has deleted them already, before its finalizer let go).
import { storageName } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { customResourceDefinitionKind } from '../../kinds/apiextensions/custom-resource-definition.js';
import { customResourceKinds, namesConflict } from '../../kinds/custom-resource-kinds.js';
import type { KindDefinition } from '../../kinds/kind-definition.js';
import type { KindRegistry } from '../../kinds/kind-registry.js';
import type { Store, Watch } from '../../store/store.js';

const crdStorage = storageName(customResourceDefinitionKind.info);

export class CustomResourceServing {
  private readonly crds = new Map<string, KubeObject>();
  /** What is served for each CRD, and the spec it was built from. */
  private readonly served = new Map<string, { spec: string; kinds: KindDefinition[] }>();
  /** Why a stored CRD is not served (its names clash), by CRD name. */
  private readonly refused = new Map<string, string>();
  private watch: Watch | undefined;

  constructor(
    private readonly kinds: KindRegistry,
    private readonly store: Store,
    private readonly log: Logger = silentLogger,
  ) {}

  /** Serves every stored CRD, then follows their changes. */
  async start(): Promise<void> {
    const { items, resourceVersion } = await this.store.list(crdStorage);
    for (const crd of items) this.crds.set(crd.metadata.name!, crd);
    this.sync();
    this.watch = this.store.watch(crdStorage, { resourceVersion }, (event) => {
      const name = event.object.metadata.name!;
      if (event.type === 'DELETED') {
        this.crds.delete(name);
        // Only what this CRD served is its own: a refused one (a built-in resource's name, say)
        // must not take another kind's objects with it.
        if (this.served.has(name)) void this.removeObjects(event.object);
      } else {
        this.crds.set(name, event.object);
      }
      this.sync();
    });
  }

  stop(): void {
    this.watch?.stop();
  }

  /** Why the CRD of this name is not served, or undefined when it is (or is not stored). */
  whyNotServed(name: string): string | undefined {
    return this.refused.get(name);
  }

  private sync(): void {
    const accepted = new Map<string, KubeObject>();
    this.refused.clear();
    for (const crd of [...this.crds.values()].sort(olderFirst)) {
      const why = this.builtIn(crd) ?? namesConflict(crd, [...accepted.values()]);
      if (why) this.refused.set(crd.metadata.name!, why);
      else accepted.set(crd.metadata.name!, crd);
    }
    for (const [name, was] of this.served) {
      if (!accepted.has(name)) {
        for (const kind of was.kinds) this.kinds.remove(kind.info);
        this.served.delete(name);
      }
    }
    for (const [name, crd] of accepted) {
      const spec = JSON.stringify(crd.spec);
      const was = this.served.get(name);
      if (was?.spec === spec) continue;
      let kinds: KindDefinition[];
      try {
        kinds = customResourceKinds(crd);
      } catch (err) {
        // A stored CRD was validated when written; one that still cannot be served is logged
        // and skipped, and the others are served all the same.
        this.log.warn(`CustomResourceDefinition ${name} cannot be served: ${(err as Error).message}`);
        continue;
      }
      for (const kind of was?.kinds ?? []) {
        if (!kinds.some((k) => k.info.version === kind.info.version)) this.kinds.remove(kind.info);
      }
      for (const kind of kinds) this.kinds.add(kind);
      this.served.set(name, { spec, kinds });
    }
  }

  /** A CRD for a resource the hub serves itself is never served: why, or undefined. */
  private builtIn(crd: KubeObject): string | undefined {
    const spec = crd.spec as { group?: string; names?: { plural?: string } };
    const clash = this.kinds
      .all()
      .some((k) => !k.custom && k.info.group === spec.group && k.info.resource === spec.names?.plural);
    return clash ? `"${spec.names?.plural}.${spec.group}" is served by the hub itself` : undefined;
  }

  /** Deletes what is left of a CRD's objects once the CRD itself is gone. */
  private async removeObjects(crd: KubeObject): Promise<void> {
    const spec = crd.spec as { group?: string; names?: { plural?: string } } | undefined;
    if (!spec?.group || !spec.names?.plural) return;
    const storage = storageName({ group: spec.group, resource: spec.names.plural });
    // Another CRD of the same name may have been created meanwhile: its objects stay.
    if (this.crds.has(crd.metadata.name!)) return;
    try {
      const { items } = await this.store.list(storage);
      for (const item of items) {
        const key = { namespace: item.metadata.namespace, name: item.metadata.name ?? '' };
        await this.store.delete(storage, key).catch(() => undefined);
      }
    } catch (err) {
      this.log.warn(`removing the objects of ${crd.metadata.name}: ${(err as Error).message}`);
    }
  }
}

function olderFirst(a: KubeObject, b: KubeObject): number {
  const at = (o: KubeObject) => o.metadata.creationTimestamp ?? '';
  return at(a).localeCompare(at(b)) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
