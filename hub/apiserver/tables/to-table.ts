// Server-side printing: turns objects of one kind into the meta.k8s.io/v1 Table that
// `kubectl get` asks for, one printer per kind (NAME AGE for kinds without one).
import { groupVersion, resources } from '../../../api/resources.js';
import type { KubeObject, ListMeta } from '../../../api/types.js';
import { configMapColumns, configMapRow } from './configmap-table.js';
import { controllerRevisionColumns, controllerRevisionRow } from './controllerrevision-table.js';
import { cronJobColumns, cronJobRow } from './cronjob-table.js';
import { daemonSetColumns, daemonSetRow } from './daemonset-table.js';
import { defaultColumns, defaultRow } from './default-table.js';
import { deploymentColumns, deploymentRow } from './deployment-table.js';
import { endpointsColumns, endpointsRow } from './endpoints-table.js';
import { endpointSliceColumns, endpointSliceRow } from './endpointslice-table.js';
import { eventColumns, eventRow } from './event-table.js';
import { jobColumns, jobRow } from './job-table.js';
import { leaseColumns, leaseRow } from './lease-table.js';
import { namespaceColumns, namespaceRow } from './namespace-table.js';
import { nodeColumns, nodeRow } from './node-table.js';
import { podColumns, podRow } from './pod-table.js';
import { replicaSetColumns, replicaSetRow } from './replicaset-table.js';
import { secretColumns, secretRow } from './secret-table.js';
import { serviceColumns, serviceRow } from './service-table.js';
import type { TableLookups } from './table-lookups.js';
import type {
  IncludeObject,
  KindPrinter,
  PartialObjectMetadata,
  Table,
  TableColumnDefinition,
  TableRow,
} from './table-types.js';

const printers: Readonly<Record<string, KindPrinter>> = {
  Pod: { columns: podColumns, row: podRow },
  Node: { columns: nodeColumns, row: nodeRow },
  Namespace: { columns: namespaceColumns, row: namespaceRow },
  Service: { columns: serviceColumns, row: serviceRow },
  Endpoints: { columns: endpointsColumns, row: endpointsRow },
  ConfigMap: { columns: configMapColumns, row: configMapRow },
  Secret: { columns: secretColumns, row: secretRow },
  Event: { columns: eventColumns, row: eventRow },
  Deployment: { columns: deploymentColumns, row: deploymentRow },
  ReplicaSet: { columns: replicaSetColumns, row: replicaSetRow },
  DaemonSet: { columns: daemonSetColumns, row: daemonSetRow },
  Job: { columns: jobColumns, row: jobRow },
  CronJob: { columns: cronJobColumns, row: cronJobRow },
  Lease: { columns: leaseColumns, row: leaseRow },
  EndpointSlice: { columns: endpointSliceColumns, row: endpointSliceRow },
  ControllerRevision: { columns: controllerRevisionColumns, row: controllerRevisionRow },
};

const defaultPrinter: KindPrinter = { columns: defaultColumns, row: defaultRow };

export interface ToTableOptions {
  now: Date;
  includeObject: IncludeObject;
  listMeta?: ListMeta;
  /** What printers read beside the objects (tableLookups()); none: such columns print <unknown>. */
  lookups?: TableLookups;
}

/** The column definitions printed for a kind. */
export function tableColumns(kind: string): TableColumnDefinition[] {
  return (printers[kind] ?? defaultPrinter).columns.map((c) => ({ ...c }));
}

/**
 * Print objects of `kind` as a Table. Every row carries all columns, wide ones included:
 * kube-apiserver does the same and lets kubectl drop priority-1 columns without -o wide.
 */
export function toTable(kind: string, objects: KubeObject[], options: ToTableOptions): Table {
  const printer = printers[kind] ?? defaultPrinter;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { ...options.listMeta },
    columnDefinitions: tableColumns(kind),
    rows: objects.map((object) => {
      const row: TableRow = printer.row(object, options.now, options.lookups ?? {});
      const attached = rowObject(kind, object, options.includeObject);
      if (attached) row.object = attached;
      return row;
    }),
  };
}

function rowObject(
  kind: string,
  object: KubeObject,
  includeObject: IncludeObject,
): KubeObject | PartialObjectMetadata | undefined {
  switch (includeObject) {
    case 'None':
      return undefined;
    case 'Object':
      return withTypeMeta(kind, object);
    default:
      // kubectl's default: it needs namespace and name (for -A and -o name), not the body.
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
  }
}

/** Stored objects may lack apiVersion/kind; an embedded object must carry them to be decodable. */
function withTypeMeta(kind: string, object: KubeObject): KubeObject {
  if (object.apiVersion && object.kind) return object;
  const info = resources.find((r) => r.kind === kind);
  return {
    ...object,
    apiVersion: object.apiVersion ?? (info ? groupVersion(info) : undefined),
    kind: object.kind ?? kind,
  };
}
