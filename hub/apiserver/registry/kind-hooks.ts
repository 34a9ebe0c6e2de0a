// The places where one kind's storage differs from the generic pipeline in resource-store.ts.
import type { KubeObject } from '../../../api/types.js';
import type { Allocation } from './service-allocations.js';

export interface KindHooks {
  /** Before defaulting: turn write-only conveniences into stored form (a Secret's stringData). */
  normalize?(obj: KubeObject): void;
  /** Mutating admission of a create, after defaulting and before validation (may look things up). */
  mutateCreate?(obj: KubeObject): Promise<void>;
  /** After validation on create: reserve what the object needs (ClusterIPs, NodePorts). */
  admitCreate?(obj: KubeObject): Allocation;
  /** After validation on update. */
  admitUpdate?(obj: KubeObject, old: KubeObject): Allocation;
  afterUpdate?(obj: KubeObject, old: KubeObject): void;
  afterDelete?(obj: KubeObject): void;
  /** Throws to refuse a deletion outright (e.g. the default namespace). */
  beforeDelete?(obj: KubeObject): void;
  /** Seconds the object lingers before it is removed; undefined or 0 means at once. */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number | undefined;
  /** Kind-specific finalization still pending (e.g. a namespace's spec.finalizers). */
  holdsDeletion?(obj: KubeObject): boolean;
  /** Adjusts an object that has just been marked for deletion (e.g. phase Terminating). */
  markDeleting?(obj: KubeObject): void;
}
