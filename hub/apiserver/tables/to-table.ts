// Server-side printing: turns objects of one kind into the meta.k8s.io/v1 Table that
// `kubectl get` asks for, with the printer its definition names (NAME AGE for kinds without one).
import { groupVersion } from '../../../api/resources.js';
import type { KubeObject, ListMeta } from '../../../api/types.js';
import type { KindDefinition } from '../../kinds/kind-definition.js';
import { defaultColumns, defaultRow } from './default-table.js';
import type { TableLookups } from './table-lookups.js';
import type {
  IncludeObject,
  KindPrinter,
  PartialObjectMetadata,
  Table,
  TableColumnDefinition,
  TableRow,
} from './table-types.js';

const defaultPrinter: KindPrinter = { columns: defaultColumns, row: defaultRow };

/** What printing needs of a kind: its names and its printer, if it has one. */
export type PrintedKind = Pick<KindDefinition, 'printer'> & {
  info: Pick<KindDefinition['info'], 'group' | 'version' | 'kind'>;
};

function printerOf(kind: PrintedKind): KindPrinter {
  return kind.printer ?? defaultPrinter;
}

export interface ToTableOptions {
  now: Date;
  includeObject: IncludeObject;
  listMeta?: ListMeta;
  /** What printers read beside the objects (tableLookups()); none: such columns print <unknown>. */
  lookups?: TableLookups;
}

/** The column definitions printed for a kind. */
export function tableColumns(kind: PrintedKind): TableColumnDefinition[] {
  return printerOf(kind).columns.map((c) => ({ ...c }));
}

/**
 * Print objects of `kind` as a Table. Every row carries all columns, wide ones included:
 * kube-apiserver does the same and lets kubectl drop priority-1 columns without -o wide.
 */
export function toTable(kind: PrintedKind, objects: KubeObject[], options: ToTableOptions): Table {
  const printer = printerOf(kind);
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
  kind: PrintedKind,
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
function withTypeMeta(kind: PrintedKind, object: KubeObject): KubeObject {
  if (object.apiVersion && object.kind) return object;
  return {
    ...object,
    apiVersion: object.apiVersion ?? groupVersion(kind.info),
    kind: object.kind ?? kind.info.kind,
  };
}
