import assert from 'node:assert/strict';
import { DataType, encodePayload } from '../../../api/sparkplug/payload.js';
import { plainValue, readPayload } from '../../helpers/sparkplug-wire.js';

describe('Sparkplug B payload encoding, read back by an independent wire reader', () => {
  const at = 1_765_000_000_123;

  it('puts timestamp, seq and metrics in fields 1, 3 and 2', () => {
    const read = readPayload(
      encodePayload({
        timestamp: at,
        seq: 7,
        metrics: [{ name: 'a', alias: 3, timestamp: at, datatype: DataType.Boolean, value: true }],
      }),
    );
    assert.equal(read.timestamp, at);
    assert.equal(read.seq, 7);
    assert.deepEqual(read.metrics, [
      { name: 'a', alias: 3, timestamp: at, datatype: 11, value: true, valueField: 14 },
    ]);
  });

  it('leaves seq out when it is not given (NDEATH)', () => {
    assert.equal(readPayload(encodePayload({ timestamp: at, metrics: [] })).seq, undefined);
  });

  it('carries each datatype in its oneof field, signed values as two’s complement', () => {
    const cases: [number, number | boolean | string, number, unknown][] = [
      [DataType.Int8, -2, 10, -2],
      [DataType.Int32, -1, 10, -1],
      [DataType.UInt32, 4_000_000_000, 10, 4_000_000_000],
      [DataType.Int64, -5, 11, -5],
      [DataType.UInt64, 2 ** 40 + 1, 11, 2 ** 40 + 1],
      [DataType.DateTime, at, 11, at],
      [DataType.Float, 1.5, 12, 1.5],
      [DataType.Double, 0.1, 13, 0.1],
      [DataType.Boolean, false, 14, false],
      [DataType.String, 'gw-1 ✓', 15, 'gw-1 ✓'],
      [DataType.Text, 'long text', 15, 'long text'],
    ];
    for (const [datatype, value, field, expected] of cases) {
      const [metric] = readPayload(
        encodePayload({
          timestamp: at,
          seq: 0,
          metrics: [{ alias: 1, timestamp: at, datatype: datatype as 1, value }],
        }),
      ).metrics;
      assert.equal(metric?.valueField, field, `datatype ${datatype}`);
      assert.equal(plainValue(metric!), expected, `datatype ${datatype}`);
    }
    const [int32] = readPayload(
      encodePayload({ timestamp: at, metrics: [{ timestamp: at, datatype: DataType.Int32, value: -1 }] }),
    ).metrics;
    assert.equal(int32?.value, 4294967295);
  });

  it('sends a null as is_null with no value', () => {
    const [metric] = readPayload(
      encodePayload({
        timestamp: at,
        metrics: [{ name: 'x', timestamp: at, datatype: DataType.String, value: null }],
      }),
    ).metrics;
    assert.equal(metric?.isNull, true);
    assert.equal(metric?.valueField, undefined);
  });
});
