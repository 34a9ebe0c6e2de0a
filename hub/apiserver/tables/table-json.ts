// JSON text of a Table. A row's attached object is written from the cached text of the stored
// object (or of its frozen metadata, for kubectl's default PartialObjectMetadata), so `kubectl
// get pods -A` over 100,000 pods serialises only the pods that changed since the last get; cells
// depend on the time (AGE) and are written each time. Parsed, the text equals the table.
import { objectJson, withJsonFields } from '../http/object-json.js';
import type { Table, TableRow } from './table-types.js';

export function tableJson(table: Table): string {
  const { rows, ...head } = table;
  return withJsonFields(head, { rows: `[${rows.map(rowJson).join(',')}]` });
}

function rowJson(row: TableRow): string {
  const { object, ...rest } = row;
  if (object === undefined) return JSON.stringify(rest);
  const objectText =
    object.kind === 'PartialObjectMetadata'
      ? withJsonFields(
          { kind: object.kind, apiVersion: object.apiVersion },
          { metadata: objectJson(object.metadata) },
        )
      : objectJson(object);
  return withJsonFields(rest, { object: objectText });
}
