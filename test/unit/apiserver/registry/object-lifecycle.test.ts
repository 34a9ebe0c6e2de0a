import assert from 'node:assert/strict';
import {
  bumpGeneration,
  prepareForCreate,
  prepareForUpdate,
  sameObject,
} from '../../../../hub/apiserver/registry/object-lifecycle.js';
import { kindNamed } from '../../../../hub/kinds/builtin-kinds.js';

const now = new Date('2026-11-23T10:00:00.123Z');

describe('object lifecycle', () => {
  it('sets uid, creationTimestamp, generation and a generated name on create', () => {
    const obj: any = {
      metadata: { generateName: 'web-', uid: 'client-chosen', deletionTimestamp: 'x' },
      spec: {},
      status: { replicas: 3 },
    };
    prepareForCreate(obj, kindNamed('Deployment')!, now);
    assert.match(obj.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.notEqual(obj.metadata.uid, 'client-chosen');
    assert.equal(obj.metadata.creationTimestamp, '2026-11-23T10:00:00Z');
    assert.equal(obj.metadata.generation, 1);
    assert.equal(obj.metadata.deletionTimestamp, undefined);
    assert.equal(obj.status, undefined, 'controllers own a Deployment status');
  });

  it('keeps server-owned metadata and status on a main-resource update, and bumps generation on spec change', () => {
    const old: any = {
      metadata: { name: 'a', uid: 'u1', creationTimestamp: 't0', generation: 4, resourceVersion: '9' },
      spec: { replicas: 1 },
      status: { replicas: 1 },
    };
    const next = prepareForUpdate(
      {
        metadata: { name: 'a', uid: 'u1', creationTimestamp: 'forged', generation: 99 },
        spec: { replicas: 2 },
        status: { replicas: 50 },
      },
      old,
      kindNamed('Deployment')!,
      undefined,
    );
    bumpGeneration(next, old);
    assert.deepEqual(next.metadata, { name: 'a', uid: 'u1', creationTimestamp: 't0', generation: 5 });
    assert.deepEqual(next.status, { replicas: 1 });
  });

  it('takes only status on a status update', () => {
    const old: any = { metadata: { name: 'a', generation: 1 }, spec: { replicas: 1 } };
    const next = prepareForUpdate(
      { metadata: { name: 'a' }, spec: { replicas: 7 }, status: { ready: 1 } },
      old,
      kindNamed('Deployment')!,
      'status',
    );
    assert.deepEqual(next.spec, { replicas: 1 });
    assert.deepEqual(next.status, { ready: 1 });
    assert.equal(next.metadata.generation, 1);
  });

  it('treats objects differing only in resourceVersion as the same', () => {
    assert.equal(
      sameObject(
        { metadata: { name: 'a', resourceVersion: '1' } },
        { metadata: { name: 'a', resourceVersion: '2' } },
      ),
      true,
    );
    assert.equal(
      sameObject(
        { metadata: { name: 'a' }, data: { x: '1' } },
        { metadata: { name: 'a' }, data: { x: '2' } },
      ),
      false,
    );
  });

  it('bumps generation only when the spec differs, so a body the defaults complete is no change', () => {
    const old: any = { metadata: { name: 'a', generation: 2 }, spec: { replicas: 1, paused: false } };
    const same: any = { metadata: { name: 'a', generation: 2 }, spec: { paused: false, replicas: 1 } };
    bumpGeneration(same, old);
    assert.equal(same.metadata.generation, 2);
    const changed: any = { metadata: { name: 'a', generation: 2 }, spec: { replicas: 3, paused: false } };
    bumpGeneration(changed, old);
    assert.equal(changed.metadata.generation, 3);
  });
});
