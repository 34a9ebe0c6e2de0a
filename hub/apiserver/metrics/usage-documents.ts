// The usage gateways report (their answer to a metrics request: a metrics.k8s.io/v1beta1
// NodeMetricsList or PodMetricsList, api/mqtt/protocol-doc.ts) read into numbers, and the
// NodeMetrics and PodMetrics the hub serves built from them, with quantities in the canonical
// form kube's resource.Quantity prints (`kubectl top` and an HPA read any form; scripts and
// people compare what metrics-server prints): CPU as nanocores scaled up to the largest exact
// decimal suffix (`250m`, `1234567n`), memory as bytes to the largest exact binary one (`20480Ki`,
// `512Mi`). What a gateway sends is input from the edge: a bad item is refused alone, naming the
// field, and the others are kept. Pure.
import { parseQuantity } from '../../../api/quantity.js';
import { isRecord } from '../../../api/validation/field-readers.js';

export const metricsGroupVersion = 'metrics.k8s.io/v1beta1';

export interface Usage {
  cpuNanoCores: number;
  memoryBytes: number;
}

/** One reading: when the gateway took it, over what window (ms), and what it measured. */
export interface Reading {
  timestamp: string;
  windowMs: number;
}

export type NodeUsage = Reading & { usage: Usage };
export type PodUsage = Reading & { containers: Array<{ name: string; usage: Usage }> };

/** What a gateway's answer held: the readings by key, and why the items left out were refused. */
export interface ParsedUsage<T> {
  items: Map<string, T>;
  refused: string[];
}

const decimalSuffixes: ReadonlyArray<[number, string]> = [
  [1e9, ''],
  [1e6, 'm'],
  [1e3, 'u'],
];
const binarySuffixes: ReadonlyArray<[number, string]> = [
  [2 ** 40, 'Ti'],
  [2 ** 30, 'Gi'],
  [2 ** 20, 'Mi'],
  [2 ** 10, 'Ki'],
];

/** CPU in cores as kube prints a quantity of scale -9: `0`, `250m`, `2`, `1500u`, `1234567n`. */
export function cpuQuantity(nanoCores: number): string {
  const n = Math.max(0, Math.round(nanoCores));
  if (n === 0) return '0';
  for (const [factor, suffix] of decimalSuffixes) if (n % factor === 0) return `${n / factor}${suffix}`;
  return `${n}n`;
}

/** Memory as kube prints a BinarySI quantity: `0`, `20480Ki`, `512Mi`, or plain bytes. */
export function memoryQuantity(bytes: number): string {
  const n = Math.max(0, Math.round(bytes));
  if (n === 0) return '0';
  for (const [factor, suffix] of binarySuffixes) if (n % factor === 0) return `${n / factor}${suffix}`;
  return String(n);
}

const goUnits: Readonly<Record<string, number>> = {
  h: 3.6e6,
  m: 6e4,
  s: 1e3,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  ns: 1e-6,
};

/** Milliseconds of a Go duration (`15.01s`, `1m30s`, `500ms`); undefined when it is none. */
export function parseGoDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, value, , unit] of text.matchAll(/(\d+(\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    ms += Number(value) * (goUnits[unit ?? ''] ?? 0);
  }
  return ms;
}

/** A window as Go's time.Duration prints it (metav1.Duration): `1.002s`, `1m30s`, `500ms`. */
export function windowText(ms: number): string {
  const rounded = Math.max(0, Math.round(ms));
  if (rounded < 1000) return `${rounded}ms`;
  const hours = Math.floor(rounded / 3.6e6);
  const minutes = Math.floor((rounded % 3.6e6) / 6e4);
  const seconds = `${Number(((rounded % 6e4) / 1000).toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  return minutes > 0 ? `${minutes}m${seconds}` : seconds;
}

function field(path: string, message: string): Error {
  return new Error(`${path}: ${message}`);
}

function readReading(item: Record<string, unknown>, path: string): Reading {
  const { timestamp, window } = item;
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp)))
    throw field(`${path}.timestamp`, 'must be an RFC 3339 time');
  const windowMs = typeof window === 'string' ? parseGoDuration(window) : undefined;
  if (windowMs === undefined) throw field(`${path}.window`, 'must be a duration such as "15s"');
  return { timestamp: new Date(Date.parse(timestamp)).toISOString(), windowMs };
}

function readUsage(value: unknown, path: string): Usage {
  if (!isRecord(value)) throw field(path, 'must be an object with cpu and memory');
  const amount = (key: 'cpu' | 'memory') => {
    const raw = value[key];
    let parsed: number;
    try {
      parsed = parseQuantity(raw as string);
    } catch {
      throw field(`${path}.${key}`, 'must be a quantity');
    }
    if (typeof raw !== 'string' || !Number.isFinite(parsed) || parsed < 0)
      throw field(`${path}.${key}`, 'must be a non-negative quantity');
    return parsed;
  };
  return { cpuNanoCores: amount('cpu') * 1e9, memoryBytes: amount('memory') };
}

function itemsOf(doc: unknown, kind: string): unknown[] {
  if (!isRecord(doc) || doc.kind !== kind || !Array.isArray(doc.items))
    throw new Error(`the answer is not a ${kind}`);
  return doc.items;
}

/** The node's own reading out of its NodeMetricsList; an item naming another node is refused. */
export function parseNodeUsage(doc: unknown, node: string): ParsedUsage<NodeUsage> {
  const parsed: ParsedUsage<NodeUsage> = { items: new Map(), refused: [] };
  for (const [index, item] of itemsOf(doc, 'NodeMetricsList').entries()) {
    const path = `items[${index}]`;
    try {
      if (!isRecord(item) || !isRecord(item.metadata)) throw field(path, 'must be an object with metadata');
      if (item.metadata.name !== node) throw field(`${path}.metadata.name`, `must be "${node}"`);
      parsed.items.set(node, { ...readReading(item, path), usage: readUsage(item.usage, `${path}.usage`) });
    } catch (err) {
      parsed.refused.push((err as Error).message);
    }
  }
  return parsed;
}

/** Pod readings by `namespace/name`. Whether each pod is the gateway's is for the caller to check. */
export function parsePodUsage(doc: unknown): ParsedUsage<PodUsage> {
  const parsed: ParsedUsage<PodUsage> = { items: new Map(), refused: [] };
  for (const [index, item] of itemsOf(doc, 'PodMetricsList').entries()) {
    const path = `items[${index}]`;
    try {
      if (!isRecord(item) || !isRecord(item.metadata)) throw field(path, 'must be an object with metadata');
      const { name, namespace } = item.metadata;
      if (typeof name !== 'string' || name === '') throw field(`${path}.metadata.name`, 'must be a name');
      if (typeof namespace !== 'string' || namespace === '')
        throw field(`${path}.metadata.namespace`, 'must be a namespace');
      if (!Array.isArray(item.containers)) throw field(`${path}.containers`, 'must be a list');
      const containers = item.containers.map((c: unknown, i: number) => {
        const at = `${path}.containers[${i}]`;
        if (!isRecord(c) || typeof c.name !== 'string' || c.name === '')
          throw field(`${at}.name`, 'must be a name');
        return { name: c.name, usage: readUsage(c.usage, `${at}.usage`) };
      });
      parsed.items.set(`${namespace}/${name}`, { ...readReading(item, path), containers });
    } catch (err) {
      parsed.refused.push((err as Error).message);
    }
  }
  return parsed;
}

function servedUsage(usage: Usage): { cpu: string; memory: string } {
  return { cpu: cpuQuantity(usage.cpuNanoCores), memory: memoryQuantity(usage.memoryBytes) };
}

function servedMetadata(
  name: string,
  namespace: string | undefined,
  labels: Record<string, string> | undefined,
  now: Date,
): Record<string, unknown> {
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    // metrics-server stamps the object with the time it is served: it is not stored anywhere.
    creationTimestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(labels && Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
  };
}

/** The NodeMetrics served for a node, with the Node's labels (label selectors match them). */
export function nodeMetricsObject(
  name: string,
  labels: Record<string, string> | undefined,
  reading: NodeUsage,
  now: Date,
): Record<string, unknown> {
  return {
    kind: 'NodeMetrics',
    apiVersion: metricsGroupVersion,
    metadata: servedMetadata(name, undefined, labels, now),
    timestamp: reading.timestamp.replace(/\.\d{3}Z$/, 'Z'),
    window: windowText(reading.windowMs),
    usage: servedUsage(reading.usage),
  };
}

/** The PodMetrics served for a pod, with the Pod's labels. */
export function podMetricsObject(
  namespace: string,
  name: string,
  labels: Record<string, string> | undefined,
  reading: PodUsage,
  now: Date,
): Record<string, unknown> {
  return {
    kind: 'PodMetrics',
    apiVersion: metricsGroupVersion,
    metadata: servedMetadata(name, namespace, labels, now),
    timestamp: reading.timestamp.replace(/\.\d{3}Z$/, 'Z'),
    window: windowText(reading.windowMs),
    containers: reading.containers.map((c) => ({ name: c.name, usage: servedUsage(c.usage) })),
  };
}
