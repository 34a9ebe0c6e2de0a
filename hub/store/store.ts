// The cluster store: etcd's role in the Kubernetes architecture. One interface, several
// backends (nedb embedded now, etcd later); every backend passes test/conformance/store.
import type { KubeObject } from '../../api/types.js';

/**
 * A resource's storage name, e.g. `pods`, `apps/deployments` (see api/resources storageName).
 * Cluster-scoped objects have no namespace.
 */
export type ResourceName = string;

export interface ObjectKey {
  namespace?: string | undefined;
  name: string;
}

export interface ListOptions {
  namespace?: string | undefined;
  /** Kubernetes label selector syntax: `a=b,c!=d,e in (f,g),!h,i`. */
  labelSelector?: string | undefined;
  /** Kubernetes field selector syntax: `metadata.name=x,spec.nodeName!=y`. */
  fieldSelector?: string | undefined;
  limit?: number | undefined;
  /** Token from a previous page's `continue`. */
  continue?: string | undefined;
}

export interface ListResult {
  items: KubeObject[];
  /** The store's resourceVersion at which the list was taken. */
  resourceVersion: string;
  continue?: string | undefined;
  remainingItemCount?: number | undefined;
}

export interface WatchOptions {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  /**
   * Deliver every change with a resourceVersion greater than this one. Undefined or '0': first
   * an ADDED event for every current object that matches, then changes after that.
   * Older than what the store still holds: the call throws ApiError 'Expired' (410).
   */
  resourceVersion?: string | undefined;
}

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

export interface Watch {
  stop(): void;
}

export interface WriteOptions {
  /** For update/delete: refuse with 409 Conflict unless the stored object has this resourceVersion. */
  resourceVersion?: string | undefined;
}

export interface Store {
  /** Ready for use; loads persisted state. */
  open(): Promise<void>;
  /** Flush and release files. */
  close(): Promise<void>;

  get(resource: ResourceName, key: ObjectKey): Promise<KubeObject | undefined>;
  list(resource: ResourceName, options?: ListOptions): Promise<ListResult>;
  /** Assigns metadata.resourceVersion; 409 AlreadyExists when the key is taken. */
  create(resource: ResourceName, object: KubeObject): Promise<KubeObject>;
  /** Replaces the stored object; 404 when missing, 409 Conflict on a stale resourceVersion. */
  update(resource: ResourceName, object: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  /** Removes and returns the object (with the deletion's resourceVersion); 404 when missing. */
  delete(resource: ResourceName, key: ObjectKey, options?: WriteOptions): Promise<KubeObject>;
  /** Events are delivered in resourceVersion order, synchronously after the write that made them. */
  watch(resource: ResourceName, options: WatchOptions, onEvent: (event: StoreEvent) => void): Watch;
  /** The newest resourceVersion handed out, as a decimal string. */
  currentResourceVersion(): string;
}
