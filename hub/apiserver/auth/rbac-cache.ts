// The RBAC objects in memory, kept current from the store's watch (events arrive synchronously
// after each write, so a binding is in force for the very next request). The authorizer reads
// this on every request: a store read per request would cost the API its hot path. Objects are
// parsed into the authorizer's shapes once, when they change.
import type { Binding, PolicyRule, RbacView, Subject } from '../../../api/rbac/rbac-types.js';
import type { KubeObject } from '../../../api/types.js';
import type { Store, Watch } from '../../store/store.js';

const storage = {
  roles: 'rbac.authorization.k8s.io/roles',
  clusterRoles: 'rbac.authorization.k8s.io/clusterroles',
  roleBindings: 'rbac.authorization.k8s.io/rolebindings',
  clusterRoleBindings: 'rbac.authorization.k8s.io/clusterrolebindings',
};

export class RbacCache implements RbacView {
  private readonly roles = new Map<string, readonly PolicyRule[]>();
  private readonly clusterRoles = new Map<string, readonly PolicyRule[]>();
  /** By namespace, then by name. */
  private readonly namespaceBindings = new Map<string, Map<string, Binding>>();
  private readonly clusterBindings = new Map<string, Binding>();
  private readonly watches: Watch[] = [];

  /** Fills the cache from the store (its watch replays what is stored) and follows it. */
  constructor(store: Store) {
    this.watches.push(
      store.watch(storage.roles, {}, ({ type, object }) =>
        this.put(this.roles, namespacedKey(object), type === 'DELETED' ? undefined : rulesOf(object)),
      ),
      store.watch(storage.clusterRoles, {}, ({ type, object }) =>
        this.put(
          this.clusterRoles,
          object.metadata.name ?? '',
          type === 'DELETED' ? undefined : rulesOf(object),
        ),
      ),
      store.watch(storage.roleBindings, {}, ({ type, object }) => {
        const namespace = object.metadata.namespace ?? '';
        let bindings = this.namespaceBindings.get(namespace);
        if (!bindings) {
          bindings = new Map();
          this.namespaceBindings.set(namespace, bindings);
        }
        this.put(bindings, object.metadata.name ?? '', type === 'DELETED' ? undefined : bindingOf(object));
        if (bindings.size === 0) this.namespaceBindings.delete(namespace);
      }),
      store.watch(storage.clusterRoleBindings, {}, ({ type, object }) =>
        this.put(
          this.clusterBindings,
          object.metadata.name ?? '',
          type === 'DELETED' ? undefined : bindingOf(object),
        ),
      ),
    );
  }

  stop(): void {
    for (const watch of this.watches.splice(0)) watch.stop();
  }

  clusterRoleBindings(): Iterable<Binding> {
    return this.clusterBindings.values();
  }

  roleBindings(namespace: string): Iterable<Binding> {
    return this.namespaceBindings.get(namespace)?.values() ?? [];
  }

  clusterRoleRules(name: string): readonly PolicyRule[] | undefined {
    return this.clusterRoles.get(name);
  }

  roleRules(namespace: string, name: string): readonly PolicyRule[] | undefined {
    return this.roles.get(`${namespace}/${name}`);
  }

  private put<T>(map: Map<string, T>, key: string, value: T | undefined): void {
    if (value === undefined) map.delete(key);
    else map.set(key, value);
  }
}

function namespacedKey(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

/** Stored objects passed validation; anything else still reads as granting nothing. */
export function rulesOf(obj: KubeObject): PolicyRule[] {
  const rules = Array.isArray(obj.rules) ? (obj.rules as Record<string, unknown>[]) : [];
  return rules
    .filter((r) => r !== null && typeof r === 'object')
    .map((r) => ({
      verbs: strings(r.verbs) ?? [],
      apiGroups: strings(r.apiGroups),
      resources: strings(r.resources),
      resourceNames: strings(r.resourceNames),
      nonResourceURLs: strings(r.nonResourceURLs),
    }));
}

export function bindingOf(obj: KubeObject): Binding {
  const ref = (obj.roleRef ?? {}) as Record<string, unknown>;
  const subjects = Array.isArray(obj.subjects) ? (obj.subjects as Record<string, unknown>[]) : [];
  return {
    name: obj.metadata.name ?? '',
    namespace: obj.metadata.namespace,
    roleRef: {
      apiGroup: String(ref.apiGroup ?? ''),
      kind: String(ref.kind ?? ''),
      name: String(ref.name ?? ''),
    },
    subjects: subjects
      .filter((s) => s !== null && typeof s === 'object')
      .map(
        (s): Subject => ({
          kind: String(s.kind ?? ''),
          name: String(s.name ?? ''),
          namespace: typeof s.namespace === 'string' ? s.namespace : undefined,
          apiGroup: typeof s.apiGroup === 'string' ? s.apiGroup : undefined,
        }),
      ),
  };
}
