// Builds protobufjs message types from OpenAPI component schemas and the protobuf field
// numbers beside them (openapi/protobuf-fields.ts), so a kind is described once and its
// protobuf decoding follows from that description.
//
// Component io.k8s.api.apps.v1.Deployment becomes message k8s.io.api.apps.v1.Deployment, as in
// Kubernetes' generated.proto; an object written inline in a schema becomes a message named
// after where it sits (PodSpec_dnsConfig). Names do not travel on the wire, numbers do. Schemas
// that cannot be expressed (a list of lists, an integer without a format) and field-number
// tables naming a property that does not exist fail the build.
import protobuf from 'protobufjs';
import {
  type ProtobufField,
  type ProtobufFields,
  protobufFieldsKey,
  typeMeta,
} from '../openapi/protobuf-fields.js';
import type { Schema } from '../openapi/schema-builders.js';
import { valueType } from './well-known-messages.js';

/** Field options read by message-to-json.ts. */
export interface FieldOptions {
  /** A Go pointer field: a zero value on the wire is kept. */
  pointer?: boolean;
  /** An embedded Go struct: its fields are lifted into the parent in JSON. */
  embedded?: boolean;
}

interface WireType {
  type: string;
  repeated?: boolean;
  map?: boolean;
}

const refPrefix = '#/components/schemas/';

/** io.k8s.api.core.v1.Pod -> k8s.io.api.core.v1.Pod (Kubernetes' proto packages). */
export function protobufMessageName(component: string): string {
  return component.startsWith('io.k8s.') ? `k8s.io.${component.slice('io.k8s.'.length)}` : component;
}

/** The component a schema names by `$ref`, directly or in the `allOf` that adds a description. */
function refOf(schema: Schema): string | undefined {
  const allOf = schema.allOf as Schema[] | undefined;
  const target = (allOf?.length === 1 ? allOf[0] : schema)?.$ref;
  return typeof target === 'string' ? target.slice(refPrefix.length) : undefined;
}

export class SchemaMessages {
  readonly root = new protobuf.Root();
  private readonly components = new Map<string, protobuf.Type>();
  private readonly inline = new Map<Schema, protobuf.Type>();

  constructor(private readonly schemas: ReadonlyMap<string, Schema>) {}

  /** The message type of a component schema, built with everything it reaches. */
  message(component: string): protobuf.Type {
    const known = valueType(this.root, component) ?? this.components.get(component);
    if (known) return known;
    const schema = this.schemas.get(component);
    if (!schema) throw new Error(`OpenAPI schema ${component} is referenced but not defined`);
    const fullName = protobufMessageName(component);
    const dot = fullName.lastIndexOf('.');
    const type = new protobuf.Type(fullName.slice(dot + 1));
    this.root.define(fullName.slice(0, dot)).add(type);
    // Registered before its fields, so a schema that refers back to itself terminates.
    this.components.set(component, type);
    this.addFields(type, schema.properties as Record<string, Schema> | undefined, schema[protobufFieldsKey]);
    return type;
  }

  /** Resolves every type reference; call once all roots are built. */
  resolve(): protobuf.Root {
    this.root.resolveAll();
    return this.root;
  }

  /** Adds a field per table entry, in field-number order (Kubernetes' order, mostly). */
  private addFields(
    type: protobuf.Type,
    properties: Record<string, Schema> = {},
    table: ProtobufFields = {},
  ): void {
    const entries = Object.entries(table).flatMap(([name, entry]) =>
      entry === typeMeta ? [] : [{ name, ...placeOf(entry) }],
    );
    entries.sort((a, b) => a.number - b.number);
    for (const { name, number, pointer, embedded } of entries) {
      const where = `${type.fullName.slice(1)}.${name}`;
      if (embedded) this.addEmbedded(type, name, number, properties, embedded, table, where);
      else this.addField(type, name, number, properties[name], pointer, where);
    }
  }

  private addField(
    type: protobuf.Type,
    name: string,
    number: number,
    schema: Schema | undefined,
    pointer: boolean,
    where: string,
  ): void {
    if (!schema) throw new Error(`${where}: has a protobuf field number but no schema`);
    const options: FieldOptions = pointer ? { pointer } : {};
    const wire = this.wireType(schema, type, name, where);
    const rule = wire.repeated ? 'repeated' : 'optional';
    type.add(
      wire.map
        ? new protobuf.MapField(name, number, 'string', wire.type, options)
        : new protobuf.Field(name, number, wire.type, rule, undefined, options),
    );
  }

  /** A nested message on the wire whose fields are the parent's own properties in JSON. */
  private addEmbedded(
    type: protobuf.Type,
    name: string,
    number: number,
    properties: Record<string, Schema>,
    embedded: ProtobufFields,
    table: ProtobufFields,
    where: string,
  ): void {
    const picked: Record<string, Schema> = {};
    for (const key of Object.keys(embedded)) {
      if (!properties[key]) throw new Error(`${where}: embeds ${key}, which the schema does not have`);
      if (key in table) throw new Error(`${where}: ${key} has two protobuf field numbers`);
      picked[key] = properties[key];
    }
    const inner = new protobuf.Type(`${type.name}_${name}`);
    type.parent!.add(inner);
    this.addFields(inner, picked, embedded);
    const options: FieldOptions = { embedded: true };
    type.add(new protobuf.Field(name, number, inner.fullName, 'optional', undefined, options));
  }

  private wireType(schema: Schema, parent: protobuf.Type, name: string, where: string): WireType {
    const component = refOf(schema);
    if (component !== undefined) return { type: this.message(component).fullName };
    switch (schema.type) {
      case 'array':
        return { type: this.elementType(schema.items as Schema, parent, name, where), repeated: true };
      case 'object': {
        const values = schema.additionalProperties;
        if (typeof values === 'object' && values !== null) {
          return { type: this.elementType(values as Schema, parent, name, where), map: true };
        }
        return { type: this.inlineMessage(schema, parent, name).fullName };
      }
      case 'string':
        return { type: schema.format === 'byte' ? 'bytes' : 'string' };
      case 'boolean':
        return { type: 'bool' };
      case 'number':
        return { type: 'double' };
      case 'integer':
        if (schema.format === 'int32' || schema.format === 'int64') return { type: schema.format };
    }
    throw new Error(`${where}: no protobuf wire type for schema ${JSON.stringify(schema)}`);
  }

  /** A list's item or a map's value: anything but another list or map. */
  private elementType(schema: Schema, parent: protobuf.Type, name: string, where: string): string {
    const wire = this.wireType(schema, parent, name, where);
    if (wire.repeated || wire.map) throw new Error(`${where}: protobuf cannot nest lists and maps`);
    return wire.type;
  }

  private inlineMessage(schema: Schema, parent: protobuf.Type, name: string): protobuf.Type {
    const built = this.inline.get(schema);
    if (built) return built;
    const type = new protobuf.Type(`${parent.name}_${name}`);
    parent.parent!.add(type);
    this.inline.set(schema, type);
    this.addFields(type, schema.properties as Record<string, Schema> | undefined, schema[protobufFieldsKey]);
    return type;
  }
}

/** A table entry in one shape. */
function placeOf(entry: Exclude<ProtobufField, typeof typeMeta>) {
  if (typeof entry === 'number') return { number: entry, pointer: false, embedded: undefined };
  if ('embedded' in entry) return { number: entry.number, pointer: false, embedded: entry.embedded };
  return { number: entry.number, pointer: true, embedded: undefined };
}
