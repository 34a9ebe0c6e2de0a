// JSON text of a Table. A row's attached object is written from the cached text of the stored
// object (or of its frozen metadata, for kubectl's default PartialObjectMetadata), so `kubectl
// get pods -A` over 100,000 pods serialises only the pods that changed since the last get; cells
// depend on the time (AGE) and are written each time. Parsed, the text equals the table.
import { objectJson } from '../http/object-json.js';
import type { Table, TableRow } from './table-types.js';

export function tableJson(table: Table): string {
  const { rows, ...head } = table;
  const headText = JSON.stringify(head);
  return `${headText.slice(0, -1)}${headText.length > 2 ? ',' : ''}"rows":[${rows.map(rowJson).join(',')}]}`;
}

function rowJson(row: TableRow): string {
  const { object, ...rest } = row;
  const restText = JSON.stringify(rest);
  if (object === undefined) return restText;
  const objectText =
    object.kind === 'PartialObjectMetadata'
      ? `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${objectJson(object.metadata)}}`
      : objectJson(object);
  return `${restText.slice(0, -1)},"object":${objectText}}`;
}
