// Every field of a kind that kubectl may send as protobuf must say where it travels on the
// wire: a field added to such a kind's schema without a protobuf number would silently vanish
// from protobuf request bodies, so it fails here instead.
import assert from 'node:assert/strict';
import {
  type ProtobufFields,
  protobufFieldsKey,
  typeMeta,
} from '../../../../hub/apiserver/openapi/protobuf-fields.js';
import type { Schema } from '../../../../hub/apiserver/openapi/schema-builders.js';
import { componentSchemas } from '../../../../hub/apiserver/openapi/schema-registry.js';
import { buildKindMessages, kubeObjectType } from '../../../../hub/apiserver/protobuf/kube-types.js';
import { builtinKinds } from '../../../../hub/kinds/builtin-kinds.js';
import { kindSchema } from '../../../../hub/kinds/kind-schema.js';

const decodable = builtinKinds.filter((kind) => kind.protobufMessage !== undefined);

/** Value types with a wire form of their own (well-known-messages.ts). */
const valueTypes = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
]);

/** Property names a table gives a place on the wire, including those of embedded structs. */
function numbered(table: ProtobufFields): string[] {
  return Object.entries(table).flatMap(([name, entry]) =>
    typeof entry === 'object' && 'embedded' in entry ? numbered(entry.embedded) : [name],
  );
}

/** `path: field` for every property, at any depth, that has no protobuf number. */
function unnumbered(root: Schema, rootPath: string): string[] {
  const missing: string[] = [];
  const seen = new Set<Schema>();
  const visit = (schema: Schema, path: string): void => {
    const allOf = schema.allOf as Schema[] | undefined;
    const target = (allOf?.length === 1 ? allOf[0] : schema)?.$ref;
    if (typeof target === 'string') {
      const name = target.replace('#/components/schemas/', '');
      if (!valueTypes.has(name)) visit(componentSchemas.get(name)!, name);
      return;
    }
    if (seen.has(schema)) return;
    seen.add(schema);
    if (schema.items) visit(schema.items as Schema, `${path}[]`);
    if (typeof schema.additionalProperties === 'object')
      visit(schema.additionalProperties as Schema, `${path}{}`);
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const onWire = new Set(numbered(schema[protobufFieldsKey] ?? {}));
    for (const [name, property] of Object.entries(properties)) {
      if (!onWire.has(name)) missing.push(`${path}: ${name}`);
      visit(property, `${path}.${name}`);
    }
  };
  visit(root, rootPath);
  return missing;
}

describe('protobuf field numbers in the schemas', () => {
  it('are given for every field, at every depth, of every kind decodable from protobuf', () => {
    assert.ok(decodable.length >= 10, 'the kinds kubectl sends as protobuf name a message');
    for (const kind of decodable) {
      assert.deepEqual(
        unnumbered(kindSchema(kind), kind.info.kind),
        [],
        `${kind.info.kind} has fields without numbers`,
      );
    }
  });

  it('notices a field whose number is missing', () => {
    const schema = componentSchemas.get('io.k8s.api.core.v1.Probe')!;
    const table = schema[protobufFieldsKey]!;
    const { handler, ...withoutHandler } = table;
    const copy = Object.defineProperty({ ...schema }, protobufFieldsKey, { value: withoutHandler });
    assert.deepEqual(unnumbered(copy, 'Probe').slice(0, 3), [
      'Probe: exec',
      'Probe: httpGet',
      'Probe: tcpSocket',
    ]);
    assert.ok(handler, 'Probe embeds its handler');
  });

  it('place apiVersion and kind in the envelope, and metadata first, in every kind', () => {
    for (const kind of decodable) {
      const table = kindSchema(kind)[protobufFieldsKey]!;
      assert.deepEqual(
        [table.apiVersion, table.kind, table.metadata],
        [typeMeta, typeMeta, 1],
        kind.info.kind,
      );
    }
  });

  it('build a message type for each of those kinds, named as in Kubernetes', () => {
    const types = buildKindMessages(decodable);
    for (const kind of decodable) {
      assert.equal(types.get(kind.protobufMessage!)?.fullName, `.${kind.protobufMessage}`);
    }
    assert.equal(kubeObjectType('apps/v1', 'Deployment')?.fullName, '.k8s.io.api.apps.v1.Deployment');
    assert.equal(kubeObjectType('apps/v1', 'ControllerRevision'), undefined);
  });

  it('number a field as Kubernetes does, through embedded structs', () => {
    const pod = kubeObjectType('v1', 'Pod')!;
    const spec = pod.fields.spec!.resolve().resolvedType as typeof pod;
    assert.deepEqual(
      [spec.fields.volumes!.id, spec.fields.containers!.id, spec.fields.resources!.id],
      [1, 2, 40],
    );
    const volume = spec.fields.volumes!.resolvedType as typeof pod;
    const source = volume.fields.volumeSource!.resolve().resolvedType as typeof pod;
    assert.equal(volume.fields.volumeSource!.id, 2);
    assert.deepEqual([source.fields.configMap!.id, source.fields.image!.id], [19, 30]);
    const container = spec.fields.containers!.resolvedType as typeof pod;
    assert.deepEqual(
      [container.fields.resources!.type, container.fields.restartPolicy!.id],
      ['.k8s.io.api.core.v1.ResourceRequirements', 24],
    );
  });
});
