// JSON text of a Table. A row's attached object is written from the cached text of the stored
// object (or of its frozen metadata, for kubectl's default PartialObjectMetadata), so `kubectl
// get pods -A` over 100,000 pods serialises only the pods that changed since the last get; cells
// depend on the time (AGE) and are written each time. Rows are assembled as text: building each
// row's head with JSON.stringify and splicing the object in took half of a 500-row page's time.
// Parsed, the text equals the table.
import { objectJson, withJsonFields } from '../http/object-json.js';
import type { PartialObjectMetadata, Table, TableRow } from './table-types.js';

export function tableJson(table: Table): string {
  const { rows, ...head } = table;
  return withJsonFields(head, { rows: `[${rows.map(rowJson).join(',')}]` });
}

const partialObjectHead = '{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":';

function rowJson(row: TableRow): string {
  const conditions = row.conditions === undefined ? '' : `,"conditions":${JSON.stringify(row.conditions)}`;
  const object = row.object === undefined ? '' : `,"object":${attachedJson(row.object)}`;
  return `{"cells":${JSON.stringify(row.cells)}${conditions}${object}}`;
}

function attachedJson(object: NonNullable<TableRow['object']>): string {
  if (object.kind !== 'PartialObjectMetadata') return objectJson(object);
  return `${partialObjectHead}${objectJson((object as PartialObjectMetadata).metadata)}}`;
}
