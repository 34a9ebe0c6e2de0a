import assert from 'node:assert/strict';
import { ApiError } from '../../../../api/errors.js';
import type { KubeObject } from '../../../../api/types.js';
import { fieldSetOf, members } from '../../../../hub/apiserver/apply/field-set.js';
import { recordUpdate } from '../../../../hub/apiserver/apply/managed-fields.js';
import { applyConfiguration, pathText } from '../../../../hub/apiserver/apply/server-side-apply.js';
import { kindNamed } from '../../../../hub/kinds/builtin-kinds.js';
import { kindSchema } from '../../../../hub/kinds/kind-schema.js';

const podSchema = kindSchema(kindNamed('Pod')!);
const gr = { group: '', resource: 'pods' };
const at = (time: string, manager: string) => ({ manager, apiVersion: 'v1', time });

const pod = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', ...meta },
  spec,
});

describe('server-side apply', () => {
  it('names list items by their merge key and sets by value', () => {
    const set = fieldSetOf(
      pod(
        { containers: [{ name: 'app', image: 'i', ports: [{ containerPort: 80 }] }] },
        { finalizers: ['a/b'], labels: { x: 'y' } },
      ),
      podSchema,
    );
    const paths = members(set).map(pathText).sort();
    assert.deepEqual(paths, [
      '.metadata.finalizers[="a/b"]',
      '.metadata.labels',
      '.metadata.labels.x',
      '.spec.containers[name="app"]',
      '.spec.containers[name="app"].image',
      '.spec.containers[name="app"].name',
      '.spec.containers[name="app"].ports[containerPort=80]',
      '.spec.containers[name="app"].ports[containerPort=80].containerPort',
    ]);
  });

  it('reports every conflicting field by manager, and takes them over with force', () => {
    const created = pod({ containers: [{ name: 'app', image: 'a' }], restartPolicy: 'Always' });
    created.metadata.managedFields = recordUpdate(
      [],
      undefined,
      created,
      podSchema,
      at('t0', 'tool'),
    ) as never;
    const applied = pod({ containers: [{ name: 'app', image: 'b' }], restartPolicy: 'Never' });
    const request = { live: created, applied, by: at('t1', 'ci'), force: false, schema: podSchema, gr };
    assert.throws(
      () => applyConfiguration(request),
      (err: unknown) =>
        err instanceof ApiError &&
        err.message ===
          'Apply failed with 2 conflicts: conflicts with "tool" using v1:\n- .spec.containers[name="app"].image\n- .spec.restartPolicy',
    );
    const forced = applyConfiguration({ ...request, force: true });
    assert.equal((forced.spec as any).restartPolicy, 'Never');
    const managers = (forced.metadata.managedFields as any[]).map((e) => e.manager);
    assert.deepEqual(managers, ['tool', 'ci']);
    const tool = (forced.metadata.managedFields as any[])[0];
    assert.equal(members(tool.fieldsV1).map(pathText).includes('.spec.restartPolicy'), false);
  });

  it('keeps the old entry (and its time) when the manager applies the same fields again', () => {
    const first = applyConfiguration({
      live: undefined,
      applied: pod({ containers: [{ name: 'app', image: 'a' }] }),
      by: at('t0', 'ci'),
      force: false,
      schema: podSchema,
      gr,
    });
    const again = applyConfiguration({
      live: first,
      applied: pod({ containers: [{ name: 'app', image: 'a' }] }),
      by: at('t1', 'ci'),
      force: false,
      schema: podSchema,
      gr,
    });
    assert.deepEqual(again.metadata.managedFields, first.metadata.managedFields);
  });
});

describe('server-side apply: what a manager stops applying', () => {
  const apply = (
    live: KubeObject | undefined,
    spec: Record<string, unknown>,
    meta: Record<string, unknown> = {},
  ) =>
    applyConfiguration({
      live,
      applied: pod(spec, meta),
      by: at('t', 'ci'),
      force: false,
      schema: podSchema,
      gr,
    });

  it('removes a list item, a set value and a map key it no longer applies', () => {
    const first = apply(
      undefined,
      {
        containers: [
          { name: 'app', image: 'a' },
          { name: 'side', image: 's' },
        ],
      },
      { finalizers: ['x/a', 'x/b'], labels: { keep: '1', drop: '2' } },
    );
    const second = apply(
      first,
      { containers: [{ name: 'app', image: 'a' }] },
      { finalizers: ['x/a'], labels: { keep: '1' } },
    );
    assert.deepEqual(
      (second.spec as any).containers.map((c: any) => c.name),
      ['app'],
    );
    assert.deepEqual(second.metadata.finalizers, ['x/a']);
    assert.deepEqual(second.metadata.labels, { keep: '1' });
  });

  it('keeps what another manager also set', () => {
    const first = apply(
      undefined,
      { containers: [{ name: 'app', image: 'a' }] },
      { labels: { shared: '1' } },
    );
    const changed = structuredClone(first);
    changed.metadata.labels = { shared: '1', other: '2' };
    changed.metadata.managedFields = recordUpdate(
      first.metadata.managedFields as never,
      first,
      changed,
      podSchema,
      at('t', 'ops'),
    ) as never;
    // ops wrote the same value for `shared`: no change, so ops does not own it; ci keeps it.
    const second = apply(changed, { containers: [{ name: 'app', image: 'a' }] });
    assert.deepEqual(second.metadata.labels, { other: '2' });
  });
});
