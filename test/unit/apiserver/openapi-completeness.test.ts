import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { apiSchemaName, type Schema } from '../../../hub/apiserver/openapi/schema-builders.js';
import { componentSchemas } from '../../../hub/apiserver/openapi/schema-registry.js';
import { resolve } from '../../../hub/apiserver/openapi/schema-type-check.js';
import { servedResources as resources } from '../../../hub/kinds/builtin-kinds.js';
import { missingPythonClient, skipSuiteUnless } from '../../helpers/environment.js';

// Strict field validation refuses every field a kind's schema lacks, so a field missing from
// the hub's schemas would refuse a valid manifest. The official Python client's models are
// generated from Kubernetes' own OpenAPI (1.22 in Debian's python3-kubernetes): every field
// they know must be known here too, at every depth.
const script = fileURLToPath(new URL('./python/model_fields.py', import.meta.url));

/** Fields Kubernetes itself has removed since the client's version, as model.field. */
const removedUpstream = new Set([
  // Removed in 1.25.
  'V1ObjectMeta.clusterName',
]);

type Models = Record<string, Record<string, string | null>>;

/** The Python model of a kind: V1Pod, V1Deployment …; core/v1 Event is CoreV1Event. */
function modelName(group: string, version: string, kind: string): string {
  if (group === '' && kind === 'Event') return 'CoreV1Event';
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

function isFreeForm(schema: Schema): boolean {
  return (
    schema['x-kubernetes-preserve-unknown-fields'] === true ||
    (schema.properties === undefined && schema.additionalProperties === undefined)
  );
}

function missingFields(
  models: Models,
  model: string,
  raw: Schema,
  path: string,
  seen: Set<string>,
): string[] {
  let schema = resolve(raw);
  if (schema.type === 'array' && schema.items) schema = resolve(schema.items as Schema);
  if (isFreeForm(schema) || seen.has(model)) return [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const additional = schema.additionalProperties;
  const missing: string[] = [];
  for (const [field, child] of Object.entries(models[model] ?? {})) {
    const at = path ? `${path}.${field}` : field;
    const property =
      properties[field] ?? (typeof additional === 'object' ? (additional as Schema) : undefined);
    if (!property) {
      if (!removedUpstream.has(`${model}.${field}`)) missing.push(at);
    } else if (child) {
      missing.push(...missingFields(models, child, property, at, new Set([...seen, model])));
    }
  }
  return missing;
}

describe("the hub's OpenAPI schemas against the official Python client's models", function () {
  this.timeout(30_000);
  let models: Models;

  before(function () {
    skipSuiteUnless(this, missingPythonClient());
    const roots = resources.map((r) => modelName(r.group, r.version, r.kind));
    models = JSON.parse(execFileSync('/usr/bin/python3', [script, ...roots], { encoding: 'utf8' })) as Models;
  });

  it('knows every field of every built-in kind the hub serves, at every depth', () => {
    let compared = 0;
    const missing: string[] = [];
    for (const { group, version, kind } of resources) {
      const model = modelName(group, version, kind);
      if (!models[model]) continue;
      compared++;
      const schema = componentSchemas.get(apiSchemaName(group, version, kind));
      assert.ok(schema, `${kind} has a schema`);
      missing.push(...missingFields(models, model, schema, '', new Set()).map((path) => `${kind} ${path}`));
    }
    assert.ok(compared >= 10, `only ${compared} kinds had a model`);
    assert.deepEqual(missing, []);
  });
});
