// The test host's rule checks must catch what they claim to, or every `violations: []` in the
// Sparkplug tests would prove nothing.
import assert from 'node:assert/strict';
import { DataType, encodePayload, type Metric } from '../../../api/sparkplug/payload.js';
import { SparkplugHost } from '../../helpers/sparkplug-host.js';

const at = 1000;
const birth = (bdSeq: number): Metric[] => [
  { name: 'bdSeq', alias: 0, timestamp: at, datatype: DataType.UInt64, value: bdSeq },
  { name: 'Node Control/Rebirth', alias: 1, timestamp: at, datatype: DataType.Boolean, value: false },
  { name: 'x', alias: 2, timestamp: at, datatype: DataType.UInt32, value: 1 },
];
const data = (alias: number, value: number): Metric[] => [
  { alias, timestamp: at, datatype: DataType.UInt32, value },
];

describe('the test SparkplugHost catches broken sequences', () => {
  let host: SparkplugHost;
  const send = (type: string, metrics: Metric[], seq?: number, device?: string) =>
    host.receive(
      `spBv1.0/g/${type}/gw${device ? `/${device}` : ''}`,
      encodePayload({ timestamp: at, metrics, ...(seq === undefined ? {} : { seq }) }),
    );
  beforeEach(() => {
    host = new SparkplugHost('g');
  });

  it('accepts a well-formed session', () => {
    send('NBIRTH', birth(3), 0);
    send('NDATA', data(2, 5), 1);
    send('NDEATH', [{ name: 'bdSeq', timestamp: at, datatype: DataType.UInt64, value: 3 }]);
    assert.deepEqual(host.violations, []);
    assert.equal(host.node('gw')?.online, false);
  });

  it('catches DATA before the birth, a seq gap, a name in DATA and an unknown alias', () => {
    send('NDATA', data(2, 5), 1);
    send('NBIRTH', birth(0), 0);
    send('NDATA', data(2, 5), 2);
    send('NDATA', [{ name: 'x', alias: 2, timestamp: at, datatype: DataType.UInt32, value: 1 }], 3);
    send('NDATA', data(9, 1), 4);
    send('DDATA', data(2, 1), 5, 'dev');
    assert.equal(host.violations.length, 5, host.violations.join('\n'));
  });

  it('treats an NDEATH with another bdSeq as stale, not as the death', () => {
    send('NBIRTH', birth(4), 0);
    send('NDEATH', [{ name: 'bdSeq', timestamp: at, datatype: DataType.UInt64, value: 3 }]);
    assert.equal(host.node('gw')?.online, true);
    assert.equal(host.node('gw')?.staleDeaths, 1);
  });

  it('catches births while the primary host is offline, and an NBIRTH without bdSeq', () => {
    host.hostOnline = false;
    send('NBIRTH', birth(0), 0);
    host.hostOnline = true;
    send('NBIRTH', birth(0).slice(1), 0);
    assert.equal(host.violations.length, 2, host.violations.join('\n'));
  });
});
