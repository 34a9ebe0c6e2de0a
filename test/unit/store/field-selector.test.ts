import assert from 'node:assert/strict';
import { ApiError } from '../../../api/errors.js';
import { escapeFieldValue, fieldValue, parseFieldSelector } from '../../../api/field-selector.js';

const pod = {
  metadata: { name: 'web-1', namespace: 'shop' },
  spec: { nodeName: 'gw-1', hostNetwork: false },
  status: { phase: 'Running' },
};

function assertBadRequest(run: () => unknown, message: string): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.reason, 'BadRequest');
    assert.equal(err.code, 400);
    assert.equal(err.message, message);
    return true;
  });
}

describe('parseFieldSelector', () => {
  it('selects everything when the selector is empty', () => {
    const selector = parseFieldSelector('');
    assert.deepEqual(selector.requirements, []);
    assert.equal(selector.matches(pod), true);
  });

  it('matches dotted paths with =, == and !=', () => {
    assert.equal(parseFieldSelector('metadata.name=web-1').matches(pod), true);
    assert.equal(parseFieldSelector('spec.nodeName==gw-1').matches(pod), true);
    assert.equal(parseFieldSelector('status.phase!=Running').matches(pod), false);
    assert.equal(parseFieldSelector('metadata.namespace!=kube-system').matches(pod), true);
  });

  it('ANDs comma-separated terms', () => {
    assert.equal(parseFieldSelector('metadata.namespace=shop,status.phase=Running').matches(pod), true);
    assert.equal(parseFieldSelector('metadata.namespace=shop,status.phase=Pending').matches(pod), false);
  });

  it('compares a missing field as the empty string', () => {
    assert.equal(parseFieldSelector('spec.nodeName=').matches({ metadata: {}, spec: {} }), true);
    assert.equal(parseFieldSelector('spec.nodeName!=').matches(pod), true);
    assert.equal(parseFieldSelector('status.podIP=').matches(pod), true);
  });

  it('compares non-string values through String()', () => {
    assert.equal(parseFieldSelector('spec.hostNetwork=false').matches(pod), true);
    assert.equal(fieldValue({ status: { replicas: 3 } }, 'status.replicas'), '3');
  });

  it("reads an Event's source as source.component", () => {
    const event = { involvedObject: { name: 'web-1' }, source: { component: 'kubelet' } };
    assert.equal(parseFieldSelector('source=kubelet,involvedObject.name=web-1').matches(event), true);
  });

  it('normalises == and exposes the requirements for per-kind checks', () => {
    assert.deepEqual(parseFieldSelector('a==1,b!=2, c=3').requirements, [
      { key: 'a', operator: '=', value: '1' },
      { key: 'b', operator: '!=', value: '2' },
      { key: 'c', operator: '=', value: '3' },
    ]);
  });

  it('unescapes backslash-escaped commas, equals signs and backslashes in values', () => {
    const selector = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d,status.phase=x');
    assert.deepEqual(selector.requirements[0], { key: 'metadata.name', operator: '=', value: 'a,b=c\\d' });
    assert.equal(selector.requirements.length, 2);
  });

  it('round-trips any value through escapeFieldValue', () => {
    const value = 'x=1,y\\2';
    const selector = parseFieldSelector(`metadata.name=${escapeFieldValue(value)}`);
    assert.equal(selector.requirements[0]?.value, value);
  });

  it('ignores empty terms', () => {
    assert.equal(parseFieldSelector('metadata.name=web-1,').requirements.length, 1);
  });

  it('rejects a term without an operator', () => {
    assertBadRequest(
      () => parseFieldSelector('metadata.name'),
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
  });

  it('rejects an empty key', () => {
    assertBadRequest(() => parseFieldSelector('=x'), `invalid field selector: invalid field key "" in '=x'`);
  });

  it('rejects an unknown escape sequence and an unescaped = in a value', () => {
    assertBadRequest(
      () => parseFieldSelector('a=b\\c'),
      "invalid field selector: invalid escape sequence '\\c' in value 'b\\c'",
    );
    assertBadRequest(
      () => parseFieldSelector('a=b=c'),
      "invalid field selector: unescaped '=' in value 'b=c'; escape it as '\\='",
    );
  });
});
