// The hub reads its strategic-merge-patch table from the OpenAPI schemas; this walks the
// published documents the way kubectl does (resolving $ref and allOf in the served JSON) and
// checks that both walks find the same merge strategies, so client and server merge lists alike.
import assert from 'node:assert/strict';
import { groupVersionPath, openApiDocument } from '../../../hub/apiserver/openapi/openapi.js';
import { apiSchemaName } from '../../../hub/apiserver/openapi/schema-builders.js';
import { patchStrategiesFor } from '../../../hub/apiserver/patch/patch-strategies.js';
import { servedResources as resources } from '../../../hub/kinds/builtin-kinds.js';
import { patchStrategyPaths } from './openapi-schema-walk.js';

type Json = Record<string, any>;

function describeStrategy(strategy: { merge: boolean; mergeKey?: string; retainKeys?: boolean }): string {
  const parts = [...(strategy.merge ? ['merge'] : []), ...(strategy.retainKeys ? ['retainKeys'] : [])];
  return `${parts.join(',')}${strategy.mergeKey ? ` by ${strategy.mergeKey}` : ''}`;
}

function describeSchema(schema: Json): string {
  const key = schema['x-kubernetes-patch-merge-key'];
  return `${schema['x-kubernetes-patch-strategy']}${key ? ` by ${key}` : ''}`;
}

describe('OpenAPI patch metadata and the hub patch strategies', () => {
  for (const info of resources) {
    it(`agree for ${info.kind}`, () => {
      const document = openApiDocument(groupVersionPath(info)) as Json;
      const root = document.components.schemas[apiSchemaName(info.group, info.version, info.kind)];
      const published = new Map(
        [...patchStrategyPaths(document, root)].map(([path, schema]) => [path, describeSchema(schema)]),
      );
      const hub = new Map(
        [...(patchStrategiesFor(info.kind) ?? new Map())].map(([path, strategy]) => [
          path,
          describeStrategy(strategy),
        ]),
      );
      // Paths the hub table leaves out are atomic there; it only lists merge strategies.
      const missingInSchema = [...hub].filter(([path, text]) => published.get(path) !== text);
      assert.deepEqual(missingInSchema, [], 'hub strategies not published in OpenAPI');
      const missingInHub = [...published].filter(([path, text]) => hub.get(path) !== text);
      assert.deepEqual(missingInHub, [], 'OpenAPI strategies unknown to the hub');
    });
  }
});
