// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): a signed decimal
// number followed by a binary SI suffix (Ki..Ei), a decimal SI suffix (n..E) or a decimal
// exponent (e3, E-2). Flotilla only compares and sums quantities, so they parse to a number;
// the float's precision is ample for CPU millicores and byte counts.

export const quantityFormatMessage =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const quantitySuffixMessage = "unable to parse quantity's suffix";
export const quantityNumericMessage = 'unable to parse numeric part of quantity';

const shape = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const digits = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/;

// Decimal suffixes are powers of ten and applied through the number's exponent, so that
// "1100m" is exactly 1.1; binary suffixes are powers of two and multiply exactly.
const decimalExponents: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const binaryMultipliers: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Thrown for input that is not a quantity; the message is kube-apiserver's. */
export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

function scale(numeric: string, suffix: string): number {
  const binary = binaryMultipliers[suffix];
  if (binary !== undefined) return Number(numeric) * binary;
  // Exact suffixes win over exponents, so "E" alone is exa and "E3" is 10^3.
  const exponent = decimalExponents[suffix] ?? /^[eE]([-+]?[0-9]+)$/.exec(suffix)?.[1];
  if (exponent === undefined) throw new QuantityError(quantitySuffixMessage);
  return Number(`${numeric}e${exponent}`);
}

/** Parses `100m`, `1.5Gi`, `2k`, `1e3` or a plain JSON number to its numeric value. */
export function parseQuantity(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new QuantityError(quantityFormatMessage);
    return input;
  }
  // Like Quantity.UnmarshalJSON, surrounding whitespace is ignored.
  const match = shape.exec(input.trim());
  const [, numeric, suffix] = match ?? [];
  if (numeric === undefined || suffix === undefined) throw new QuantityError(quantityFormatMessage);
  if (!digits.test(numeric)) throw new QuantityError(quantityNumericMessage);
  return scale(numeric, suffix);
}

/** The parse error message for `input`, or undefined when it is a valid quantity. */
export function quantityError(input: unknown): string | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return quantityFormatMessage;
  try {
    parseQuantity(input);
    return undefined;
  } catch (err) {
    return err instanceof QuantityError ? err.message : quantityFormatMessage;
  }
}
