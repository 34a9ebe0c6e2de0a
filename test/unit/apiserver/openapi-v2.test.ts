import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../../api/errors.js';
import {
  negotiateOpenApiV2,
  openApiV2ProtobufType,
  serveOpenApiV2,
  swaggerDocument,
  toSwaggerSchema,
} from '../../../hub/apiserver/openapi/openapi-v2.js';
import { apiSchemaName } from '../../../hub/apiserver/openapi/schema-builders.js';
import { servedResources as resources } from '../../../hub/kinds/builtin-kinds.js';

type Json = Record<string, any>;

// What kubectl 1.32 sends when its v3 documents do not know a kind.
const kubectlAccept = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

interface Served {
  status: number;
  headers: Record<string, string | number>;
  body: Buffer;
}

function serve(headers: Record<string, string>): Served {
  const served: Served = { status: 0, headers: {}, body: Buffer.alloc(0) };
  const res = {
    writeHead(status: number, head: Record<string, string | number>) {
      served.status = status;
      served.headers = head;
    },
    end(body?: Buffer) {
      if (body) served.body = body;
    },
  };
  serveOpenApiV2({ method: 'GET', headers } as unknown as IncomingMessage, res as unknown as ServerResponse);
  return served;
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref') found.push(child as string);
      else refsIn(child, found);
    }
  }
  return found;
}

describe('OpenAPI v2 document', () => {
  it('answers kubectl in protobuf and everyone else in JSON', () => {
    assert.equal(negotiateOpenApiV2(kubectlAccept), 'protobuf');
    assert.equal(
      negotiateOpenApiV2('application/com.github.proto-openapi.spec.v2.v1.0+protobuf'),
      'protobuf',
    );
    assert.equal(negotiateOpenApiV2('application/json'), 'json');
    assert.equal(negotiateOpenApiV2(undefined), 'json');
    assert.equal(negotiateOpenApiV2('*/*'), 'json');
    assert.equal(negotiateOpenApiV2(`application/json;q=0.5, ${kubectlAccept}`), 'protobuf');
    assert.equal(negotiateOpenApiV2(`${kubectlAccept};q=0, application/json`), 'json');
    assert.equal(negotiateOpenApiV2('text/html'), undefined);
  });

  it('describes every served kind under #/definitions with its group-version-kind', () => {
    const { swagger, definitions } = swaggerDocument();
    assert.equal(swagger, '2.0');
    for (const info of resources) {
      const schema = definitions[apiSchemaName(info.group, info.version, info.kind)] as Json;
      assert.ok(schema, `${info.kind} has a definition`);
      assert.deepEqual(schema['x-kubernetes-group-version-kind'], [
        { group: info.group, kind: info.kind, version: info.version },
      ]);
    }
    for (const ref of refsIn(definitions)) {
      assert.match(ref, /^#\/definitions\//);
      assert.ok(definitions[ref.slice('#/definitions/'.length)], `${ref} resolves`);
    }
  });

  it('writes a described reference the Swagger 2.0 way, beside its description', () => {
    const schema = toSwaggerSchema({
      type: 'object',
      properties: {
        metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.M' }], description: 'Meta.' },
        items: { type: 'array', items: { $ref: '#/components/schemas/io.k8s.I' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    });
    assert.deepEqual(schema.properties, {
      metadata: { $ref: '#/definitions/io.k8s.M', description: 'Meta.' },
      items: { type: 'array', items: { $ref: '#/definitions/io.k8s.I' } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    });
  });

  it('serves the protobuf document with the content type kubectl can parse, and an ETag', () => {
    const served = serve({ accept: kubectlAccept });
    assert.equal(served.status, 200);
    assert.equal(served.headers['Content-Type'], openApiV2ProtobufType);
    // Field 1 (swagger) comes first: tag 0x0a, length 3, "2.0".
    assert.deepEqual([...served.body.subarray(0, 5)], [0x0a, 0x03, ...Buffer.from('2.0')]);
    assert.ok(served.body.includes('io.k8s.api.apps.v1.Deployment'));
    assert.match(String(served.headers.ETag), /^"[0-9A-F]{128}"$/);
    const again = serve({ accept: kubectlAccept, 'if-none-match': String(served.headers.ETag) });
    assert.equal(again.status, 304);
  });

  it('serves JSON on request and refuses media types it cannot produce', () => {
    const served = serve({ accept: 'application/json' });
    assert.equal(served.headers['Content-Type'], 'application/json');
    const doc = JSON.parse(served.body.toString()) as Json;
    assert.deepEqual(doc.info, { title: 'Flotilla', version: 'v1.32.0' });
    assert.ok(doc.definitions['io.k8s.api.core.v1.Pod']);
    assert.throws(
      () => serve({ accept: 'text/html' }),
      (err: unknown) => err instanceof ApiError && err.code === 406,
    );
  });
});
