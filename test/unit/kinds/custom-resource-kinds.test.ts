import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { validateCustomResourceDefinition } from '../../../api/validation/custom-resource-definition.js';
import {
  compareVersions,
  customResourceKinds,
  namesConflict,
} from '../../../hub/kinds/custom-resource-kinds.js';

const crd = (name: string, group: string, names: Record<string, unknown>, versions = ['v1']): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name },
  spec: {
    group,
    scope: 'Namespaced',
    names,
    versions: versions.map((v, i) => ({
      name: v,
      served: true,
      storage: i === 0,
      schema: { openAPIV3Schema: { type: 'object' } },
    })),
  },
});

describe('custom resource kinds', () => {
  it('orders versions as Kubernetes does: GA, beta, alpha, higher first, others last', () => {
    const sorted = ['v1alpha1', 'foo', 'v2', 'v1beta2', 'v1', 'v11alpha2', 'v1beta1', 'bar'].sort(
      compareVersions,
    );
    assert.deepEqual(sorted, ['v2', 'v1', 'v1beta2', 'v1beta1', 'v11alpha2', 'v1alpha1', 'bar', 'foo']);
  });

  it('builds one kind per served version, the preferred first, with its names and scope', () => {
    const kinds = customResourceKinds(
      crd(
        'sensors.plant.example.com',
        'plant.example.com',
        { plural: 'sensors', kind: 'Sensor', shortNames: ['sn'] },
        ['v1beta1', 'v1'],
      ),
    );
    assert.deepEqual(
      kinds.map((k) => k.info.version),
      ['v1', 'v1beta1'],
    );
    const [v1] = kinds;
    assert.equal(v1?.info.singular, 'sensor');
    assert.deepEqual(v1?.info.shortNames, ['sn']);
    assert.equal(v1?.info.namespaced, true);
    assert.equal(v1?.custom, true);
    assert.ok(v1?.schemas?.['com.example.plant.v1.Sensor']);
    assert.ok(v1?.schemas?.['com.example.plant.v1.SensorList']);
  });

  it('finds a clash of kinds or short names with an older CRD of the same group only', () => {
    const older = crd('gauges.plant.example.com', 'plant.example.com', {
      plural: 'gauges',
      kind: 'Gauge',
      shortNames: ['g'],
    });
    const sameKind = crd('meters.plant.example.com', 'plant.example.com', {
      plural: 'meters',
      kind: 'Gauge',
    });
    const sameShort = crd('meters.plant.example.com', 'plant.example.com', {
      plural: 'meters',
      kind: 'Meter',
      shortNames: ['g'],
    });
    const otherGroup = crd('meters.lab.example.com', 'lab.example.com', {
      plural: 'meters',
      kind: 'Gauge',
      shortNames: ['g'],
    });
    assert.equal(namesConflict(sameKind, [older]), '"Gauge" is already in use');
    assert.equal(namesConflict(sameShort, [older]), '"g" is already in use');
    assert.equal(namesConflict(otherGroup, [older]), undefined);
  });

  it('refuses a CRD without one storage version, with a webhook conversion or a changed scope', () => {
    const two = crd('a.plant.example.com', 'plant.example.com', { plural: 'a', kind: 'A' }, ['v1', 'v2']);
    (two.spec as any).versions[1].storage = true;
    (two.spec as any).conversion = { strategy: 'Webhook' };
    const fields = validateCustomResourceDefinition(two).map((e) => `${e.field}: ${e.message}`);
    assert.deepEqual(fields, [
      'spec.versions: Invalid value: 2: must have exactly one version marked as storage version',
      'spec.conversion.strategy: Unsupported value: "Webhook": supported values: "None"',
    ]);
    const old = crd('a.plant.example.com', 'plant.example.com', { plural: 'a', kind: 'A' });
    const next = structuredClone(old);
    (next.spec as any).scope = 'Cluster';
    assert.deepEqual(
      validateCustomResourceDefinition(next, old).map((e) => e.field),
      ['spec.scope'],
    );
  });
});
