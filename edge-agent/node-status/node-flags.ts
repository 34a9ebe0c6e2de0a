// The node's own flags, kubelet style: --node-labels k=v,k2=v2 and
// --register-with-taints key=value:Effect,key:Effect. Parsed at the CLI boundary and checked with
// the API's label and taint rules, so a bad flag fails at start with a field-qualified message
// instead of a registration the hub refuses later.
import type { FieldError } from '../../api/errors.js';
import { invalidValue } from '../../api/errors.js';
import { type Validation, verdict } from '../../api/mqtt/payloads/checks.js';
import type { RegisteredTaint } from '../../api/mqtt/payloads/node-registration.js';
import { validateLabelName, validateLabelValue } from '../../api/validation/labels.js';
import { validateTaints } from '../../api/validation/tolerations.js';
import { agentOwnedLabels } from './node-labels.js';

function items(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function parseNodeLabels(text: string, flag = '--node-labels'): Validation<Record<string, string>> {
  const errs: FieldError[] = [];
  const labels: Record<string, string> = {};
  for (const item of items(text)) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      errs.push(invalidValue(flag, item, 'must be key=value'));
      continue;
    }
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    const path = `${flag}[${key}]`;
    errs.push(...validateLabelName(key, path), ...validateLabelValue(value, path));
    if (agentOwnedLabels.includes(key)) errs.push(invalidValue(path, value, 'is set by the agent itself'));
    labels[key] = value;
  }
  return verdict(errs, labels);
}

/** `key=value:Effect` or `key:Effect` (an empty value), comma-separated. */
export function parseTaints(text: string, flag = '--register-with-taints'): Validation<RegisteredTaint[]> {
  const errs: FieldError[] = [];
  const taints: RegisteredTaint[] = [];
  for (const item of items(text)) {
    const colon = item.lastIndexOf(':');
    if (colon < 0) {
      errs.push(invalidValue(flag, item, 'must be key=value:Effect or key:Effect'));
      continue;
    }
    const [key = '', value] = splitOnce(item.slice(0, colon), '=');
    const taint: RegisteredTaint = { key, effect: item.slice(colon + 1) as RegisteredTaint['effect'] };
    if (value) taint.value = value;
    taints.push(taint);
  }
  errs.push(...validateTaints(taints, flag));
  return verdict(errs, taints);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
