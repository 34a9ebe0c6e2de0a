// The CustomResourceDefinition controller (kube-apiextensions-apiserver's naming, establishing
// and finalizer controllers in one): a new CRD gets the cleanup finalizer, its accepted names,
// NamesAccepted and Established conditions and its stored version; a CRD being deleted has every
// one of its objects deleted first (their own finalizers honoured), then its finalizer removed.
// Serving the kinds is the registry's (custom-resource-serving.ts), so that requests work from
// the moment a CRD is stored; this controller reports it in the CRD's status, as kubectl waits
// for `condition=established`.
import type { KubeObject } from '../../../api/types.js';
import { customResourceDefinitionKind } from '../../kinds/apiextensions/custom-resource-definition.js';
import { type CrdSpec, crdCleanupFinalizer } from '../../kinds/custom-resource-kinds.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { newCondition, setCondition } from '../objects/conditions.js';
import type { Condition } from '../objects/kinds.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';

const crds = customResourceDefinitionKind.info;
const recheckMs = 1_000;

export class CustomResourceDefinitionController extends ReconcilingController {
  constructor(ctx: ControllerContext) {
    super(ctx, {
      name: 'customresourcedefinition',
      queue: 'crd',
      failures: { component: 'CRD controller', resource: crds },
    });
  }

  protected watches(): Watch[] {
    const names = () =>
      this.ctx.informers
        .for(crds)
        .list()
        .map((crd) => crd.metadata.name!);
    return [
      { resource: crds, on: ['add', 'update'], keys: (crd) => crd.metadata.name! },
      // A CRD that clashed with this one may be accepted now.
      { resource: crds, on: ['delete'], keys: names },
    ];
  }

  async reconcile(name: string): Promise<{ requeueAfterMs: number } | undefined> {
    const store = this.ctx.registry.for(crds);
    const crd = await ignoreNotFound(store.get(undefined, name));
    if (!crd) return undefined;
    if (crd.metadata.deletionTimestamp) return this.finalize(crd);
    const finalizers = crd.metadata.finalizers ?? [];
    if (!finalizers.includes(crdCleanupFinalizer)) {
      await store.modify(undefined, name, (current) => {
        current.metadata.finalizers = [...(current.metadata.finalizers ?? []), crdCleanupFinalizer];
        return current;
      });
      return undefined; // the update brings it back here
    }
    const status = this.desiredStatus(crd);
    if (JSON.stringify(status) !== JSON.stringify(crd.status ?? {})) {
      await store.modify(
        undefined,
        name,
        (current) => {
          current.status = status;
          return current;
        },
        { subresource: 'status' },
      );
    }
    return undefined;
  }

  private desiredStatus(crd: KubeObject): Record<string, unknown> {
    const spec = crd.spec as unknown as CrdSpec;
    const status = (crd.status ?? {}) as { conditions?: Condition[]; storedVersions?: string[] };
    // Served or not is the registry's decision (custom-resource-serving.ts); the status says it.
    const conflict = this.ctx.registry.customResources.whyNotServed(crd.metadata.name!);
    const now = this.ctx.clock.now();
    let conditions = status.conditions ?? [];
    conditions = setCondition(
      conditions,
      conflict
        ? newCondition('NamesAccepted', 'False', 'NameConflict', conflict, now, false)
        : newCondition('NamesAccepted', 'True', 'NoConflicts', 'no conflicts found', now, false),
    );
    conditions = setCondition(
      conditions,
      conflict
        ? newCondition('Established', 'False', 'NotAccepted', 'not all names are accepted', now, false)
        : newCondition(
            'Established',
            'True',
            'InitialNamesAccepted',
            'the initial names have been accepted',
            now,
            false,
          ),
    );
    const storage = spec.versions.find((v) => v.storage)?.name;
    const storedVersions = [...(status.storedVersions ?? [])];
    if (storage && !storedVersions.includes(storage)) storedVersions.push(storage);
    const acceptedNames = conflict
      ? ((crd.status as { acceptedNames?: object })?.acceptedNames ?? {})
      : spec.names;
    return { acceptedNames, conditions, storedVersions };
  }

  /** Deletes the CRD's objects; once none is left, lets the CRD go. */
  private async finalize(crd: KubeObject): Promise<{ requeueAfterMs: number } | undefined> {
    const name = crd.metadata.name!;
    if (!(crd.metadata.finalizers ?? []).includes(crdCleanupFinalizer)) return undefined;
    const spec = crd.spec as unknown as CrdSpec;
    const version = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]?.name ?? '';
    const found = this.ctx.registry.lookup(spec.group, version, spec.names.plural);
    // A CRD the hub refused to serve (named like a built-in resource) owns no objects.
    const objects = found?.definition.custom ? found : undefined;
    const remaining = objects ? (await objects.list({})).items : [];
    for (const obj of remaining) {
      if (obj.metadata.deletionTimestamp) continue;
      await ignoreNotFound(
        objects!.delete(obj.metadata.namespace, obj.metadata.name!, {
          dryRun: false,
          propagationPolicy: 'Background',
        }),
      );
    }
    if (remaining.length > 0) return { requeueAfterMs: recheckMs };
    await ignoreNotFound(
      this.ctx.registry.for(crds).modify(undefined, name, (current) => {
        current.metadata.finalizers = (current.metadata.finalizers ?? []).filter(
          (f) => f !== crdCleanupFinalizer,
        );
        return current;
      }),
    );
    return undefined;
  }
}
