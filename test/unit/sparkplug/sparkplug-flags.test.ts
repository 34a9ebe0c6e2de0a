import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSparkplugFlags } from '../../../cli/sparkplug-flags.js';
import { tempDir } from '../../helpers/hub-process.js';

describe('flotilla hub --sparkplug-* flags', () => {
  it('is off without --sparkplug-group', () => {
    assert.equal(parseSparkplugFlags({}), undefined);
  });

  it('publishes to the embedded broker unless --sparkplug-broker is given', () => {
    assert.deepEqual(parseSparkplugFlags({ 'sparkplug-group': 'Plant 1', 'sparkplug-host-id': 'scada' }), {
      group: 'Plant 1',
      hostId: 'scada',
    });
  });

  it('reads the plant broker login and certificates from files', () => {
    const dir = tempDir('sp-flags');
    writeFileSync(join(dir, 'pw'), 'secret\n');
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    const config = parseSparkplugFlags({
      'sparkplug-group': 'g',
      'sparkplug-broker': 'mqtts://broker.plant:8883',
      'sparkplug-username': 'flotilla',
      'sparkplug-password-file': join(dir, 'pw'),
      'sparkplug-ca-file': join(dir, 'ca.pem'),
    });
    assert.deepEqual(config?.broker, {
      url: 'mqtts://broker.plant:8883',
      username: 'flotilla',
      password: 'secret',
      caPem: 'CA',
      certPem: undefined,
      keyPem: undefined,
    });
  });

  const refusals: [string, Record<string, string>, RegExp][] = [
    [
      'a host id without a group',
      { 'sparkplug-host-id': 'h' },
      /^--sparkplug-host-id needs --sparkplug-group$/,
    ],
    [
      'a group with a slash',
      { 'sparkplug-group': 'a/b' },
      /^--sparkplug-group: Invalid value: "a\/b": must not contain/,
    ],
    [
      'an empty host id',
      { 'sparkplug-group': 'g', 'sparkplug-host-id': '' },
      /^--sparkplug-host-id: Invalid value: "": must not be empty/,
    ],
    [
      'a host id with a wildcard',
      { 'sparkplug-group': 'g', 'sparkplug-host-id': 'h#' },
      /^--sparkplug-host-id: Invalid value/,
    ],
    [
      'an http broker',
      { 'sparkplug-group': 'g', 'sparkplug-broker': 'http://x' },
      /^--sparkplug-broker: Invalid value: "http:\/\/x": must be mqtt/,
    ],
    [
      'a broker that is not a URL',
      { 'sparkplug-group': 'g', 'sparkplug-broker': 'broker:1883' },
      /^--sparkplug-broker: Invalid value/,
    ],
    [
      'a CA without a broker',
      { 'sparkplug-group': 'g', 'sparkplug-ca-file': '/x' },
      /^--sparkplug-ca-file needs --sparkplug-broker/,
    ],
    [
      'a certificate without its key',
      { 'sparkplug-group': 'g', 'sparkplug-broker': 'mqtts://b', 'sparkplug-cert-file': '/x' },
      /^--sparkplug-cert-file and --sparkplug-key-file go together$/,
    ],
    [
      'a missing CA file',
      { 'sparkplug-group': 'g', 'sparkplug-broker': 'mqtts://b', 'sparkplug-ca-file': '/nonexistent/ca.pem' },
      /^--sparkplug-ca-file: cannot read \/nonexistent\/ca.pem: ENOENT$/,
    ],
  ];
  for (const [what, flags, message] of refusals) {
    it(`refuses ${what}, naming the flag`, () => {
      assert.throws(() => parseSparkplugFlags(flags), { message });
    });
  }
});
