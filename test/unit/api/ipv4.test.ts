import assert from 'node:assert/strict';
import {
  formatIPv4,
  inIPv4Cidr,
  parseIPv4,
  parseIPv4Cidr,
  prefixOfNetmask,
  rangeContains,
  rangesOverlap,
} from '../../../api/ipv4.js';

describe('IPv4 addresses and CIDRs as numbers', () => {
  it('reads a dotted quad, from 0.0.0.0 to 255.255.255.255, and writes it back', () => {
    assert.equal(parseIPv4('0.0.0.0'), 0);
    assert.equal(parseIPv4('10.42.1.7'), 10 * 2 ** 24 + 42 * 2 ** 16 + 1 * 256 + 7);
    assert.equal(parseIPv4('255.255.255.255'), 2 ** 32 - 1);
    for (const ip of ['0.0.0.0', '10.42.1.7', '172.30.5.240', '255.255.255.255'])
      assert.equal(formatIPv4(parseIPv4(ip)!), ip);
  });

  it('refuses bad octets, leading zeros, short and long forms and anything around the address', () => {
    for (const bad of [
      '256.0.0.1',
      '1.2.3.999',
      '1.2.3.-1',
      '010.0.0.1',
      '10.01.0.1',
      '1.2.3.00',
      '1.2.3',
      '1.2.3.4.5',
      '1..2.3',
      '.1.2.3',
      '1.2.3.',
      '0x7f.0.0.1',
      ' 1.2.3.4',
      '1.2.3.4 ',
      '1.2.3.4/32',
      '::1',
      '',
    ])
      assert.equal(parseIPv4(bad), undefined, bad);
  });

  it('reads a CIDR as its network, host bits dropped, from /0 to /32', () => {
    assert.deepEqual(parseIPv4Cidr('10.42.1.0/24'), {
      first: parseIPv4('10.42.1.0'),
      last: parseIPv4('10.42.1.255'),
      prefix: 24,
      size: 256,
    });
    assert.deepEqual(parseIPv4Cidr('10.42.1.77/16'), {
      first: parseIPv4('10.42.0.0'),
      last: parseIPv4('10.42.255.255'),
      prefix: 16,
      size: 65_536,
    });
    assert.deepEqual(parseIPv4Cidr('0.0.0.0/0'), { first: 0, last: 2 ** 32 - 1, prefix: 0, size: 2 ** 32 });
    assert.deepEqual(parseIPv4Cidr('192.168.7.9/32'), {
      first: parseIPv4('192.168.7.9'),
      last: parseIPv4('192.168.7.9'),
      prefix: 32,
      size: 1,
    });
  });

  it('refuses a CIDR with a bad address or prefix', () => {
    for (const bad of [
      '10.42.1.0',
      '10.42.1.0/',
      '10.42.1.0/33',
      '10.42.1.0/100',
      '10.42.1.0/-1',
      '10.42.1.0/2a',
    ])
      assert.equal(parseIPv4Cidr(bad), undefined, bad);
    for (const bad of ['010.42.1.0/24', '10.42.256.0/24', '10.42.1/24', '/24', '10.42.1.0/24/1'])
      assert.equal(parseIPv4Cidr(bad), undefined, bad);
  });

  it('tells whether an address lies in a CIDR, edges included', () => {
    assert.ok(inIPv4Cidr('10.42.1.0', '10.42.1.0/24'));
    assert.ok(inIPv4Cidr('10.42.1.255', '10.42.1.0/24'));
    assert.ok(!inIPv4Cidr('10.42.2.0', '10.42.1.0/24'));
    assert.ok(inIPv4Cidr('203.0.113.9', '0.0.0.0/0'));
    assert.ok(inIPv4Cidr('10.0.0.1', '10.0.0.1/32'));
    assert.ok(!inIPv4Cidr('10.0.0.2', '10.0.0.1/32'));
    assert.ok(!inIPv4Cidr('10.42.1.300', '10.42.1.0/24'));
    assert.ok(!inIPv4Cidr('10.42.1.3', 'nonsense'));
  });

  it('compares ranges: overlap and containment', () => {
    const wide = parseIPv4Cidr('172.30.5.0/24')!;
    const pool = parseIPv4Cidr('172.30.5.240/29')!;
    const other = parseIPv4Cidr('172.30.6.0/24')!;
    assert.ok(rangeContains(wide, pool) && !rangeContains(pool, wide));
    assert.ok(rangesOverlap(wide, pool) && rangesOverlap(pool, wide));
    assert.ok(!rangesOverlap(wide, other));
    assert.ok(rangesOverlap(wide, { first: wide.last, last: other.first }));
  });

  it('reads the prefix length of a netmask, and refuses one whose ones are not contiguous', () => {
    assert.equal(prefixOfNetmask('255.255.255.0'), 24);
    assert.equal(prefixOfNetmask('255.255.240.0'), 20);
    assert.equal(prefixOfNetmask('255.255.255.255'), 32);
    assert.equal(prefixOfNetmask('0.0.0.0'), 0);
    assert.equal(prefixOfNetmask('255.0.255.0'), undefined);
    assert.equal(prefixOfNetmask('0.255.255.255'), undefined);
    assert.equal(prefixOfNetmask('not a mask'), undefined);
  });
});
