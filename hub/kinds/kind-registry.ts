// The kinds one hub serves: the built-in ones, plus those its CustomResourceDefinitions add
// while it runs. Discovery, OpenAPI, storage, tables and the controllers that must see every
// kind (garbage collection, namespace deletion) read it, and follow its changes.
import { groupVersion, type ResourceInfo } from '../../api/resources.js';
import { builtinKinds } from './builtin-kinds.js';
import type { KindDefinition } from './kind-definition.js';

export interface KindChange {
  type: 'added' | 'removed';
  kind: KindDefinition;
}

type Listener = (change: KindChange) => void;

const sameResource = (a: ResourceInfo, b: ResourceInfo) =>
  a.group === b.group && a.version === b.version && a.resource === b.resource;

export class KindRegistry {
  private kinds: KindDefinition[];
  private readonly listeners = new Set<Listener>();
  /** Counts changes: documents derived from the kinds are cached per generation. */
  generation = 0;

  constructor(initial: readonly KindDefinition[] = builtinKinds) {
    this.kinds = [...initial];
  }

  all(): readonly KindDefinition[] {
    return this.kinds;
  }

  resources(): ResourceInfo[] {
    return this.kinds.map((k) => k.info);
  }

  forResource(group: string, version: string, resource: string): KindDefinition | undefined {
    return this.kinds.find(
      (k) => k.info.group === group && k.info.version === version && k.info.resource === resource,
    );
  }

  /** The kind of an object's apiVersion and kind. */
  forKind(apiVersion: string, kind: string): KindDefinition | undefined {
    return this.kinds.find((k) => groupVersion(k.info) === apiVersion && k.info.kind === kind);
  }

  /** Serves `kind` (replacing what served the same group, version and resource). */
  add(kind: KindDefinition): void {
    const old = this.kinds.find((k) => sameResource(k.info, kind.info));
    if (old) this.remove(old.info);
    this.kinds.push(kind);
    this.changed({ type: 'added', kind });
  }

  remove(info: Pick<ResourceInfo, 'group' | 'version' | 'resource'>): void {
    const index = this.kinds.findIndex(
      (k) =>
        k.info.group === info.group && k.info.version === info.version && k.info.resource === info.resource,
    );
    if (index < 0) return;
    const [kind] = this.kinds.splice(index, 1);
    this.changed({ type: 'removed', kind: kind! });
  }

  /** Calls `listener` for every change from now on; returns how to stop. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(change: KindChange): void {
    this.generation++;
    for (const listener of this.listeners) listener(change);
  }
}
