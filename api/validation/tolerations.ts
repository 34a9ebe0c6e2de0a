// Pod tolerations (ValidateTolerations) and node taints (validateNodeTaints), which share
// the effect enum and the label-style key/value rules.
import { duplicate, type FieldError, invalidValue, notSupported, required } from '../errors.js';
import { readInteger, readRecords, readString } from './field-readers.js';
import { validateLabelName } from './labels.js';
import { isValidLabelValue } from './name-formats.js';

export const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTaintEffect(
  effect: string | undefined,
  allowEmpty: boolean,
  path: string,
): FieldError[] {
  if (!effect) return allowEmpty ? [] : [required(path)];
  return taintEffects.includes(effect) ? [] : [notSupported(path, effect, taintEffects)];
}

export function validateTolerations(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [t, tPath] of readRecords(errs, value, path)) {
    const key = readString(errs, t.key, `${tPath}.key`) ?? '';
    const operator = readString(errs, t.operator, `${tPath}.operator`) ?? '';
    const tolerationValue = readString(errs, t.value, `${tPath}.value`) ?? '';
    const effect = readString(errs, t.effect, `${tPath}.effect`) ?? '';
    const seconds = readInteger(errs, t.tolerationSeconds, `${tPath}.tolerationSeconds`);
    if (key) errs.push(...validateLabelName(key, `${tPath}.key`));
    // An empty key with Exists tolerates every taint; with any other operator it means nothing.
    if (!key && operator !== 'Exists') {
      errs.push(
        invalidValue(
          `${tPath}.operator`,
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (seconds !== undefined && effect !== 'NoExecute') {
      errs.push(
        invalidValue(`${tPath}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"),
      );
    }
    if (operator === 'Equal' || operator === '') {
      const problems = isValidLabelValue(tolerationValue);
      if (problems.length > 0)
        errs.push(invalidValue(`${tPath}.operator`, tolerationValue, problems.join(';')));
    } else if (operator === 'Exists') {
      if (tolerationValue)
        errs.push(invalidValue(`${tPath}.operator`, t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${tPath}.operator`, operator, ['Equal', 'Exists']));
    }
    errs.push(...validateTaintEffect(effect, true, `${tPath}.effect`));
  }
  return errs;
}

export function validateTaints(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [taint, taintPath] of readRecords(errs, value, path)) {
    const key = readString(errs, taint.key, `${taintPath}.key`) ?? '';
    const taintValue = readString(errs, taint.value, `${taintPath}.value`) ?? '';
    const effect = readString(errs, taint.effect, `${taintPath}.effect`);
    errs.push(...validateLabelName(key, `${taintPath}.key`));
    const problems = isValidLabelValue(taintValue);
    if (problems.length > 0) errs.push(invalidValue(`${taintPath}.value`, taintValue, problems.join(';')));
    errs.push(...validateTaintEffect(effect, false, `${taintPath}.effect`));
    const identity = `${key}\u0000${effect ?? ''}`;
    if (seen.has(identity)) {
      const dup = duplicate(taintPath, taint);
      errs.push({ ...dup, message: `${dup.message}: taints must be unique by key and effect pair` });
    }
    seen.add(identity);
  }
  return errs;
}
