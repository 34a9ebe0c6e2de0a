import assert from 'node:assert/strict';
import { logParams } from '../../../../hub/apiserver/handlers/pod-log.js';

const q = (text: string) => new URLSearchParams(text);

describe('PodLogOptions from the query string', () => {
  it("reads the flags as Go's ParseBool does, whatever the client's spelling", () => {
    assert.deepEqual(logParams(q('container=app&follow=True&previous=0&timestamps=t&tailLines=10')), {
      container: 'app',
      follow: true,
      previous: false,
      timestamps: true,
      tailLines: 10,
    });
    assert.deepEqual(logParams(q('follow=FALSE&timestamps')), { follow: false, timestamps: true });
  });

  it('refuses a flag that is not a boolean, naming it', () => {
    assert.throws(() => logParams(q('follow=yes')), /follow: Invalid value: "yes": must be a boolean/);
  });
});
