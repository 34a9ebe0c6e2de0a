// The protobuf form of the OpenAPI v2 document (gnostic's openapi_v2.Document), which kubectl
// asks for when it validates a kind the OpenAPI v3 documents do not describe.
//
// Written for Flotilla in .proto syntax: the subset of github.com/google/gnostic-models
// openapiv2/OpenAPIv2.proto a Swagger 2.0 document of component schemas needs, with gnostic's
// field numbers. Vendor extensions travel as YAML text (Any.yaml), as gnostic encodes them.
import protobuf from 'protobufjs';
import { stringify as toYaml } from 'yaml';
import type { Schema } from './schema-builders.js';

const gnosticProto = `
syntax = "proto3";
package openapi.v2;

message Document {
  string swagger = 1;
  Info info = 2;
  Paths paths = 8;
  Definitions definitions = 9;
}

message Info {
  string title = 1;
  string version = 2;
}

message Paths {
  repeated NamedAny vendor_extension = 1;
}

message Definitions {
  repeated NamedSchema additional_properties = 1;
}

message NamedSchema {
  string name = 1;
  Schema value = 2;
}

message Schema {
  string _ref = 1;
  string format = 2;
  string title = 3;
  string description = 4;
  repeated string required = 19;
  AdditionalPropertiesItem additional_properties = 21;
  TypeItem type = 22;
  ItemsItem items = 23;
  repeated Schema all_of = 24;
  Properties properties = 25;
  repeated NamedAny vendor_extension = 31;
}

message AdditionalPropertiesItem {
  oneof value {
    Schema schema = 1;
    bool boolean = 2;
  }
}

message TypeItem {
  repeated string value = 1;
}

message ItemsItem {
  repeated Schema schema = 1;
}

message Properties {
  repeated NamedSchema additional_properties = 1;
}

message NamedAny {
  string name = 1;
  Any value = 2;
}

message Any {
  string yaml = 2;
}
`;

const documentType = protobuf.parse(gnosticProto, { keepCase: true }).root.lookupType('openapi.v2.Document');

/** A Swagger 2.0 document as JSON: swagger, info, paths and definitions. */
export interface SwaggerDocument {
  swagger: string;
  info: { title: string; version: string };
  paths: Record<string, unknown>;
  definitions: Record<string, Schema>;
}

export function encodeSwaggerDocument(doc: SwaggerDocument): Uint8Array {
  const message = documentType.fromObject({
    swagger: doc.swagger,
    info: doc.info,
    paths: {},
    definitions: { additional_properties: namedSchemas(doc.definitions) },
  });
  return documentType.encode(message).finish();
}

function namedSchemas(schemas: Record<string, Schema>): object[] {
  return Object.entries(schemas).map(([name, value]) => ({ name, value: gnosticSchema(value) }));
}

// Keywords the hub's schemas do not use (enum, default, minimum, ...) are left out.
function gnosticSchema(schema: Schema): object {
  const out: Record<string, unknown> = {};
  const extensions: object[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    switch (keyword) {
      case '$ref':
        out._ref = value;
        break;
      case 'format':
      case 'title':
      case 'description':
      case 'required':
        out[keyword] = value;
        break;
      case 'type':
        out.type = { value: [value] };
        break;
      case 'items':
        out.items = { schema: [gnosticSchema(value as Schema)] };
        break;
      case 'allOf':
        out.all_of = (value as Schema[]).map(gnosticSchema);
        break;
      case 'properties':
        out.properties = { additional_properties: namedSchemas(value as Record<string, Schema>) };
        break;
      case 'additionalProperties':
        out.additional_properties =
          typeof value === 'boolean' ? { boolean: value } : { schema: gnosticSchema(value as Schema) };
        break;
      default:
        if (keyword.startsWith('x-')) extensions.push({ name: keyword, value: { yaml: toYaml(value) } });
    }
  }
  if (extensions.length > 0) out.vendor_extension = extensions;
  return out;
}
