// A kind's OpenAPI schema: its own (a custom resource's, from its CustomResourceDefinition) or
// the built-in component of the same name.
import { apiSchemaName, type Schema } from '../apiserver/openapi/schema-builders.js';
import { componentSchemas } from '../apiserver/openapi/schema-registry.js';
import type { KindDefinition } from './kind-definition.js';

export function kindSchema(kind: KindDefinition): Schema {
  const { group, version } = kind.info;
  const name = apiSchemaName(group, version, kind.info.kind);
  const schema = kind.schemas?.[name] ?? componentSchemas.get(name);
  if (!schema) throw new Error(`OpenAPI schema ${name} is not defined`);
  return schema;
}
