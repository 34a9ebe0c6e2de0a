import assert from 'node:assert/strict';
import { parseQuantity, QuantityError, quantityError, quantityFormatMessage } from '../../../api/quantity.js';

describe('parseQuantity', () => {
  const cases: Array<[string | number, number]> = [
    ['100m', 0.1],
    ['1', 1],
    ['0.5', 0.5],
    ['1Ki', 1024],
    ['1Mi', 1024 ** 2],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['2Ti', 2 * 1024 ** 4],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1100m', 1.1],
    ['-2', -2],
    [' 64Mi ', 64 * 1024 ** 2],
    [3, 3],
  ];
  for (const [input, expected] of cases) {
    it(`parses ${JSON.stringify(input)} as ${expected}`, () => {
      assert.equal(parseQuantity(input), expected);
    });
  }

  it('rejects text outside the quantity grammar with kube’s message', () => {
    assert.throws(() => parseQuantity('1Gb'), new QuantityError(quantityFormatMessage));
    assert.equal(
      quantityError('lots'),
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });

  it('rejects a suffix the grammar allows but no unit has', () => {
    assert.equal(quantityError('1iK'), "unable to parse quantity's suffix");
  });

  it('rejects a malformed number', () => {
    assert.equal(quantityError('1.2.3'), 'unable to parse numeric part of quantity');
  });

  it('accepts valid input without error', () => {
    assert.equal(quantityError('250m'), undefined);
  });
});
