import assert from 'node:assert/strict';
import { servingNames } from '../../../hub/pki/hub-credentials.js';

describe('names the hub certificates cover', () => {
  it('adds --tls-san names and addresses to the loopback names and the bound address', () => {
    const names = servingNames('10.0.0.5', ['hub.plant.example', '203.0.113.7', '2001:db8::1']);
    assert.ok(names.dns.includes('localhost'));
    assert.ok(names.dns.includes('hub.plant.example'));
    assert.deepEqual(names.ips, ['127.0.0.1', '::1', '203.0.113.7', '2001:db8::1', '10.0.0.5']);
  });
});
