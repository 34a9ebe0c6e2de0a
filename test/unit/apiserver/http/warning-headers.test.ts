import assert from 'node:assert/strict';
import { warningHeaders } from '../../../../hub/apiserver/http/warning-headers.js';

describe('Warning headers', () => {
  it('quotes the text as kube-apiserver does, once per distinct warning', () => {
    assert.deepEqual(warningHeaders(['unknown field "spec.x"', 'unknown field "spec.x"']), [
      '299 - "unknown field \\"spec.x\\""',
    ]);
  });

  it('escapes what a header cannot carry (a field name a client made up)', () => {
    const [header] = warningHeaders(['unknown field "é🚀\u202e\n"']);
    assert.equal(header, '299 - "unknown field \\"\\u00e9\\ud83d\\ude80\\u202e\\n\\""');
    assert.match(header!, /^[\x20-\x7e]+$/);
  });

  it('bounds each warning to 256 characters and all of them to 4 KiB', () => {
    const [long] = warningHeaders([`unknown field ${'a'.repeat(1000)}`]);
    assert.equal(long!.length, '299 - ""'.length + 256);
    const many = warningHeaders(
      Array.from({ length: 100 }, (_, i) => `unknown field "spec.f${i}${'x'.repeat(100)}"`),
    );
    assert.ok(many.length > 10 && many.length < 100, `${many.length}`);
    assert.ok(many.join('').length <= 4096);
  });
});
