// metav1.LabelSelector: validation (ValidateLabelSelector) and matching. Workload controllers
// and the selector-vs-template check both need the same matching semantics.
import { type FieldError, forbidden, invalidValue } from '../errors.js';
import { requiredBecause } from './field-errors.js';
import {
  isRecord,
  type JsonRecord,
  readRecord,
  readRecords,
  readString,
  readStrings,
} from './field-readers.js';
import { validateLabelName, validateLabels, validateLabelValue } from './labels.js';

const operators = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export function validateLabelSelector(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const selector = readRecord(errs, value, path);
  if (!selector) return errs;
  for (const [expr, exprPath] of readRecords(errs, selector.matchExpressions, `${path}.matchExpressions`)) {
    const operator = readString(errs, expr.operator, `${exprPath}.operator`) ?? '';
    const values = readStrings(errs, expr.values, `${exprPath}.values`);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) {
        errs.push(
          requiredBecause(`${exprPath}.values`, "must be specified when `operator` is 'In' or 'NotIn'"),
        );
      }
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) {
        errs.push(
          forbidden(
            `${exprPath}.values`,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
    } else {
      errs.push(invalidValue(`${exprPath}.operator`, operator, 'not a valid selector operator'));
    }
    const key = readString(errs, expr.key, `${exprPath}.key`) ?? '';
    errs.push(...validateLabelName(key, `${exprPath}.key`));
    values.forEach((v, i) => {
      errs.push(...validateLabelValue(v, `${exprPath}.values[${i}]`));
    });
  }
  errs.push(...validateLabels(selector.matchLabels, `${path}.matchLabels`));
  return errs;
}

/** True when the selector has neither matchLabels nor matchExpressions (selects everything). */
export function isEmptySelector(selector: JsonRecord): boolean {
  const labels = isRecord(selector.matchLabels) ? Object.keys(selector.matchLabels).length : 0;
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  return labels + exprs === 0;
}

/**
 * Whether `labels` satisfy the selector. An absent selector matches nothing and an empty one
 * matches everything (metav1.LabelSelectorAsSelector). Malformed parts never match.
 */
export function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isRecord(selector)) return false;
  const have = labels ?? {};
  if (isRecord(selector.matchLabels)) {
    for (const [key, want] of Object.entries(selector.matchLabels)) if (have[key] !== want) return false;
  }
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return exprs.every((expr) => isRecord(expr) && expressionMatches(expr, have));
}

function expressionMatches(expr: JsonRecord, labels: Record<string, string>): boolean {
  if (typeof expr.key !== 'string' || !operators.includes(String(expr.operator))) return false;
  const value = labels[expr.key];
  const values = Array.isArray(expr.values) ? expr.values : [];
  switch (expr.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    default:
      return value === undefined;
  }
}
