// `kubectl get` for a custom resource: NAME, then the CRD version's additionalPrinterColumns
// (each read with its JSONPath), or NAME AGE when it declares none. A `date` column prints as an
// age, as kube-apiserver does; several matches are joined with commas; none prints as empty.
import { evaluateJsonPath, type JsonPath, parseJsonPath } from '../../../api/json-path.js';
import type { KubeObject } from '../../../api/types.js';
import { defaultColumns, defaultRow } from './default-table.js';
import { timeSince } from './human-duration.js';
import { column, nameColumn } from './table-columns.js';
import type { ColumnType, KindPrinter, TableCell } from './table-types.js';

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

const cellTypes: Record<string, ColumnType> = {
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  string: 'string',
  date: 'date',
};

export function customResourcePrinter(columns: readonly PrinterColumn[]): KindPrinter {
  if (columns.length === 0) return { columns: defaultColumns, row: defaultRow };
  const compiled = columns.map((c) => ({ column: c, path: compiledPath(c.jsonPath) }));
  return {
    columns: [
      nameColumn,
      ...columns.map((c) =>
        column(c.name, cellTypes[c.type] ?? 'string', c.description ?? '', {
          priority: c.priority ?? 0,
          format: c.format ?? '',
        }),
      ),
    ],
    row(object: KubeObject, now: Date) {
      const cells: TableCell[] = [object.metadata.name ?? ''];
      for (const { column: c, path } of compiled) cells.push(cell(c, path, object, now));
      return { cells };
    },
  };
}

/** The column's path; undefined (empty cells) for one that does not parse, which CRD validation refuses. */
function compiledPath(text: string): JsonPath | undefined {
  try {
    return parseJsonPath(text);
  } catch {
    return undefined;
  }
}

function cell(c: PrinterColumn, path: JsonPath | undefined, object: KubeObject, now: Date): TableCell {
  if (!path) return null;
  const values = evaluateJsonPath(path, object);
  if (values.length === 0) return null;
  if (values.length === 1) {
    const [value] = values;
    if (c.type === 'date') return timeSince(value, now);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    return JSON.stringify(value);
  }
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',');
}
