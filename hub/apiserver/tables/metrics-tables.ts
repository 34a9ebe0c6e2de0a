// `kubectl get nodes.metrics.k8s.io` / `podmetrics`: metrics-server's columns, NAME CPU MEMORY
// WINDOW (a pod's CPU and memory summed over its containers). `kubectl top` reads the objects.
import { parseQuantity } from '../../../api/quantity.js';
import type { KubeObject } from '../../../api/types.js';
import { cpuQuantity, memoryQuantity } from '../metrics/usage-documents.js';
import { column, nameColumn } from './table-columns.js';
import type { KindPrinter, TableColumnDefinition } from './table-types.js';

const usageColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('CPU', 'string', 'CPU usage, in cores.'),
  column('Memory', 'string', 'Memory usage (working set), in bytes.'),
  column('Window', 'string', 'The interval the CPU usage was measured over.'),
];

interface UsageView {
  cpu?: string;
  memory?: string;
}

function sum(usages: UsageView[], key: keyof UsageView): number {
  return usages.reduce((total, u) => total + (u[key] ? parseQuantity(u[key]) : 0), 0);
}

export const nodeMetricsPrinter: KindPrinter = {
  columns: usageColumns,
  row: (object: KubeObject) => {
    const usage = (object as { usage?: UsageView }).usage ?? {};
    const window = (object as { window?: string }).window ?? '';
    return { cells: [object.metadata.name ?? '', usage.cpu ?? '0', usage.memory ?? '0', window] };
  },
};

export const podMetricsPrinter: KindPrinter = {
  columns: usageColumns,
  row: (object: KubeObject) => {
    const usages = ((object as { containers?: { usage?: UsageView }[] }).containers ?? []).map(
      (c) => c.usage ?? {},
    );
    const window = (object as { window?: string }).window ?? '';
    return {
      cells: [
        object.metadata.name ?? '',
        cpuQuantity(sum(usages, 'cpu') * 1e9),
        memoryQuantity(sum(usages, 'memory')),
        window,
      ],
    };
  },
};
