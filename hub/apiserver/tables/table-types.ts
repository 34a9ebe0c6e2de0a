// The meta.k8s.io/v1 Table that kube-apiserver returns when a client (kubectl get) asks for
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Shapes follow
// k8s.io/apimachinery/pkg/apis/meta/v1 (Table, TableColumnDefinition, TableRow).
import type { KubeObject, ListMeta, ObjectMeta } from '../../../api/types.js';
import type { TableLookups } from './table-lookups.js';

/** OpenAPI type of a column; kubectl only uses it to right-align numbers. */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface TableColumnDefinition {
  name: string;
  type: ColumnType;
  /** 'name' marks the column kubectl replaces with `kind/name` for `-o name`-like output. */
  format: string;
  description: string;
  /** 0 = always shown; 1 = shown only with `kubectl get -o wide`. */
  priority: number;
}

/** A cell is whatever kube-apiserver puts there: strings, int64 numbers, booleans. */
export type TableCell = string | number | boolean | null;

export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  /** Absent for includeObject=None. */
  object?: KubeObject | PartialObjectMetadata;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** What kubectl asks for with `?includeObject=`; the server default is Metadata. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The cells (and row conditions) one kind prints for one object; the object is attached later. */
export type PrintedRow = Omit<TableRow, 'object'>;

export interface KindPrinter {
  columns: readonly TableColumnDefinition[];
  row(object: KubeObject, now: Date, lookups: TableLookups): PrintedRow;
}
