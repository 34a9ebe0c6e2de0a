import assert from 'node:assert/strict';
import { registeredLabels } from '../../../hub/edge-sync/node-labels.js';

describe('registeredLabels: which Node labels a gateway may write', () => {
  it('owns every label of the Node it creates', () => {
    const result = registeredLabels({}, undefined, { b: '2', a: '1' });
    assert.deepEqual(result.labels, { a: '1', b: '2' });
    assert.equal(result.annotation, 'a,b');
    assert.deepEqual(result.refused, []);
  });

  it('changes and removes its own labels', () => {
    const result = registeredLabels({ a: '1', b: '2', admin: 'x' }, 'a,b', { a: '9' });
    assert.deepEqual(result.labels, { a: '9', admin: 'x' });
    assert.equal(result.annotation, 'a');
    assert.equal(result.changed, true);
  });

  it("leaves an admin's label alone, whatever the registration asks", () => {
    const result = registeredLabels({ a: '1', zone: 'hall-1' }, 'a', { a: '1', zone: 'forged' });
    assert.deepEqual(result.labels, { a: '1', zone: 'hall-1' });
    assert.deepEqual(result.refused, ['zone']);
    assert.equal(result.annotation, 'a');
    assert.equal(result.changed, false);
    // Asking for the admin's own value is no refusal, and does not make the key the gateway's.
    const same = registeredLabels({ zone: 'hall-1' }, '', { zone: 'hall-1' });
    assert.deepEqual(same.refused, []);
    assert.equal(same.annotation, '');
  });

  it('refuses node-restriction.kubernetes.io/ keys, as NodeRestriction does', () => {
    const result = registeredLabels({}, undefined, {
      'node-restriction.kubernetes.io/trusted': 'yes',
      'x.node-restriction.kubernetes.io/y': 'z',
      ok: '1',
    });
    assert.deepEqual(result.labels, { ok: '1' });
    assert.deepEqual(result.refused, [
      'node-restriction.kubernetes.io/trusted',
      'x.node-restriction.kubernetes.io/y',
    ]);
  });
});
