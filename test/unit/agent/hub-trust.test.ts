import assert from 'node:assert/strict';
import { trustPlan } from '../../../edge-agent/hub-link/hub-trust.js';
import { usageError } from './agent-args.js';

const pin = `sha256:${'ab'.repeat(32)}`;

describe('how the agent trusts its hub', () => {
  it('verifies a TLS hub with --hub-ca-file, else the pin, else a CA kept from an earlier join', () => {
    assert.deepEqual(trustPlan({ url: 'mqtts://hub:8883', pin, caFile: '/ca.crt' }, false), {
      kind: 'ca-file',
      path: '/ca.crt',
    });
    assert.deepEqual(trustPlan({ url: 'mqtts://hub:8883', pin }, true), { kind: 'pin', pin });
    assert.deepEqual(trustPlan({ url: 'wss://hub:443', pin }, false), { kind: 'pin', pin });
    assert.deepEqual(trustPlan({ url: 'ssl://hub:8883' }, true), { kind: 'kept' });
  });

  it('refuses a bare token for a TLS hub when nothing else says which CA to trust', () => {
    assert.match(
      usageError(() => trustPlan({ url: 'mqtts://hub:8883' }, false)),
      /^--token carries no CA hash and no hub CA is kept yet: give the whole join string .* or --hub-ca-file FILE$/,
    );
  });

  it('refuses plain mqtt:// and ws:// unless told it is insecure', () => {
    for (const url of ['mqtt://hub:1883', 'tcp://hub:1883', 'ws://hub:8080'])
      assert.match(
        usageError(() => trustPlan({ url, pin }, false)),
        /plain MQTT .* --hub-insecure-plaintext$/,
      );
    assert.deepEqual(trustPlan({ url: 'mqtt://hub:1883', pin, insecurePlaintext: true }, false), {
      kind: 'plaintext',
    });
  });

  it('refuses flag combinations that contradict the URL', () => {
    assert.equal(
      usageError(() => trustPlan({ url: 'mqtts://hub:8883', insecurePlaintext: true }, false)),
      '--hub-insecure-plaintext is for mqtt:// and ws:// URLs, not mqtts://',
    );
    assert.equal(
      usageError(() =>
        trustPlan({ url: 'mqtt://hub:1883', caFile: '/ca.crt', insecurePlaintext: true }, false),
      ),
      '--hub-ca-file needs a TLS hub URL (mqtts:// or wss://), got mqtt://hub:1883',
    );
  });
});
