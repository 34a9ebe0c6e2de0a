// What a write asks of a ResourceStore besides the object: dry run, the field manager, the
// requester's own admission, the subresource; and the namespace check every namespaced create
// goes through.
import type { GroupResource } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import type { FieldChecks } from './field-validation.js';
import type { UpdateSubresource } from './object-lifecycle.js';

export interface WriteRequest extends FieldChecks {
  dryRun?: boolean;
  /**
   * The API client's field manager: its writes are recorded in metadata.managedFields. Absent
   * for the hub's own writes (controllers, edge sync), which record nothing.
   */
  fieldManager?: string | undefined;
  /** The object's managedFields were computed by server-side apply: keep them as they are. */
  applied?: boolean;
  /** The requester's own admission after validation (RBAC escalation prevention); throws to refuse. */
  admit?: ((obj: KubeObject, old?: KubeObject) => void) | undefined;
}

export interface UpdateRequest extends WriteRequest {
  subresource?: UpdateSubresource | undefined;
}

/** Checks that a namespaced object's namespace exists and accepts new content. */
export type NamespaceGate = (namespace: string, gr: GroupResource, name: string) => Promise<void>;
