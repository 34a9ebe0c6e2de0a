// Label and selector strings as kubectl prints them, following the String() forms of
// k8s.io/apimachinery labels.Set and labels.Selector: requirements sorted by key,
// `k=v`, `k in (a,b)`, `k notin (a,b)`, `k` (Exists), `!k` (DoesNotExist).
import { listOf, recordOf } from './field-readers.js';

export interface LabelSelectorView {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/** `a=1,b=2` (keys sorted), or "<none>" for no labels, like labels.FormatLabels. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(recordOf<string>(labels)).sort(([a], [b]) => compare(a, b));
  if (entries.length === 0) return '<none>';
  return entries.map(([key, value]) => `${key}=${value}`).join(',');
}

/**
 * The selector as a string, '' when it selects everything (or nothing), "<error>" when an
 * expression is malformed (metav1.LabelSelectorAsSelector fails the same way).
 */
export function selectorString(selector: LabelSelectorView | undefined): string {
  if (!selector) return '';
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(recordOf<string>(selector.matchLabels))) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const expression of listOf<NonNullable<LabelSelectorView['matchExpressions']>[number]>(
    selector.matchExpressions,
  )) {
    const text = expressionText(expression);
    if (text === undefined) return '<error>';
    requirements.push({ key: expression.key ?? '', text });
  }
  // A stable sort by key only, as labels.internalSelector sorts its requirements.
  return requirements
    .sort((a, b) => compare(a.key, b.key))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector string, or "<none>" when it is empty. */
export function formatLabelSelector(selector: LabelSelectorView | undefined): string {
  const text = selectorString(selector);
  return text === '' ? '<none>' : text;
}

function expressionText(expression: {
  key?: string;
  operator?: string;
  values?: string[];
}): string | undefined {
  const key = expression.key;
  if (!key) return undefined;
  const values = [...listOf<string>(expression.values)].sort(compare).join(',');
  switch (expression.operator) {
    case 'In':
      return `${key} in (${values})`;
    case 'NotIn':
      return `${key} notin (${values})`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    default:
      return undefined;
  }
}

/** Byte-order comparison, as Go's sort.Strings uses (not locale-aware). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
