// Container resources (ValidateResourceRequirements): known resource names, parseable
// non-negative quantities, and requests that do not exceed limits.
import { type FieldError, invalidValue } from '../errors.js';
import { parseQuantity, quantityError, quantityFormatMessage } from '../quantity.js';
import { nonNegativeMessage } from './field-errors.js';
import { readRecord } from './field-readers.js';
import { isQualifiedName } from './name-formats.js';

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

interface ParsedQuantity {
  raw: string | number;
  value: number;
}

function isStandardContainerResource(name: string): boolean {
  return standardContainerResources.has(name) || name.startsWith('hugepages-');
}

/** Extended resources (vendor-prefixed, e.g. example.com/gpu) are counted in whole units. */
function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalidValue(path, name, m));
  if (errs.length === 0 && !name.includes('/') && !isStandardContainerResource(name)) {
    errs.push(invalidValue(path, name, 'must be a standard resource for containers'));
  }
  return errs;
}

function readQuantities(errs: FieldError[], value: unknown, path: string): Map<string, ParsedQuantity> {
  const out = new Map<string, ParsedQuantity>();
  for (const [name, raw] of Object.entries(readRecord(errs, value, path) ?? {})) {
    const keyPath = `${path}[${name}]`;
    errs.push(...validateResourceName(name, keyPath));
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      errs.push(invalidValue(keyPath, raw, quantityFormatMessage));
      continue;
    }
    const problem = quantityError(raw);
    if (problem) {
      errs.push(invalidValue(keyPath, raw, problem));
      continue;
    }
    const parsed = parseQuantity(raw);
    if (parsed < 0) errs.push(invalidValue(keyPath, String(raw), nonNegativeMessage));
    else if (isExtendedResource(name) && !Number.isInteger(parsed)) {
      errs.push(invalidValue(keyPath, String(raw), 'must be an integer'));
    }
    out.set(name, { raw, value: parsed });
  }
  return out;
}

export function validateResourceRequirements(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const resources = readRecord(errs, value, path);
  if (!resources) return errs;
  const limits = readQuantities(errs, resources.limits, `${path}.limits`);
  const requests = readQuantities(errs, resources.requests, `${path}.requests`);
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (limit && request.value > limit.value) {
      errs.push(
        invalidValue(
          `${path}.requests[${name}]`,
          String(request.raw),
          `must be less than or equal to ${name} limit of ${String(limit.raw)}`,
        ),
      );
    }
  }
  return errs;
}
