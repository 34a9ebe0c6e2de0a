// A plain-text table for the terminal: left-aligned text, right-aligned numbers.

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number;
}

export function formatTable<Row>(columns: Column<Row>[], rows: Row[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => show(line[i]!).length)),
  );
  const numeric = columns.map(
    (_, i) => cells.length > 0 && cells.every((line) => typeof line[i] === 'number'),
  );
  const render = (line: (string | number)[]) =>
    line
      .map((cell, i) => (numeric[i] ? show(cell).padStart(widths[i]!) : show(cell).padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [render(columns.map((c) => c.header)), rule, ...cells.map(render)].join('\n');
}

function show(cell: string | number): string {
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell)) return '-';
  // Three significant figures is all a benchmark on a shared machine can claim.
  if (Math.abs(cell) >= 100) return cell.toFixed(0);
  if (Math.abs(cell) >= 10) return cell.toFixed(1);
  return cell.toFixed(2);
}
