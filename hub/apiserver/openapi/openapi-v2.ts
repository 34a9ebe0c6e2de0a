// GET /openapi/v2: the Swagger 2.0 document, as kube-apiserver still serves it next to v3.
// kubectl's client-side validation falls back to it for a kind the v3 documents do not
// describe; a 404 there fails `kubectl apply` with "failed to download openapi" instead of the
// "no matches for kind" a real cluster reports. The definitions are the v3 component schemas
// rewritten for Swagger 2.0; paths stay empty (kubectl reads the definitions' GVK extensions).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../../api/errors.js';
import { KindRegistry } from '../../kinds/kind-registry.js';
import { encodeSwaggerDocument, type SwaggerDocument } from './openapi-v2-proto.js';
import type { Schema } from './schema-builders.js';
import { componentSchemas } from './schema-registry.js';

/**
 * What kube-openapi answers for protobuf. Clients ask with the older `spec.v2@v1.0` spelling,
 * but `@` is not a token character, so Go's mime parser (in kubectl) rejects it in a response.
 */
export const openApiV2ProtobufType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const protobufSubtypes = [
  'com.github.proto-openapi.spec.v2.v1.0+protobuf',
  'com.github.proto-openapi.spec.v2@v1.0+protobuf',
];

export type OpenApiV2Format = 'json' | 'protobuf';

/** `#/components/schemas/X` -> `#/definitions/X`; a described ref as `{$ref, description}`. */
export function toSwaggerSchema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', '#/definitions/');
    } else if (keyword === 'properties') {
      const properties = Object.entries(value as Record<string, Schema>);
      out.properties = Object.fromEntries(properties.map(([name, sub]) => [name, toSwaggerSchema(sub)]));
    } else if ((keyword === 'items' || keyword === 'additionalProperties') && typeof value === 'object') {
      out[keyword] = toSwaggerSchema(value as Schema);
    } else if (keyword === 'allOf') {
      out.allOf = (value as Schema[]).map(toSwaggerSchema);
    } else if (keyword === 'oneOf') {
      // Swagger 2.0 has no oneOf; kube's v2 document gives such a type (Quantity) its first one.
      out.type = (value as Schema[])[0]?.type;
    } else {
      out[keyword] = value;
    }
  }
  // OpenAPI 3.0 needs allOf to describe a $ref; Swagger 2.0 (and k8s's v2 spec) puts them side by side.
  const only = Array.isArray(out.allOf) && out.allOf.length === 1 ? (out.allOf[0] as Schema) : undefined;
  if (only && Object.keys(only).length === 1 && typeof only.$ref === 'string') {
    delete out.allOf;
    return { $ref: only.$ref, ...out };
  }
  return out;
}

export function swaggerDocument(kinds = builtinOnly): SwaggerDocument {
  const all = new Map(componentSchemas);
  for (const kind of kinds.all())
    for (const [name, schema] of Object.entries(kind.schemas ?? {})) all.set(name, schema);
  const names = [...all.keys()].sort();
  return {
    swagger: '2.0',
    info: { title: 'Flotilla', version: 'v1.32.0' },
    paths: {},
    definitions: Object.fromEntries(names.map((name) => [name, toSwaggerSchema(all.get(name)!)])),
  };
}

interface Encoded {
  body: Buffer;
  etag: string;
}

const builtinOnly = new KindRegistry();

// Built on first use and again after the kinds changed (a CustomResourceDefinition came or went).
const caches = new WeakMap<KindRegistry, { generation: number; encoded: Map<OpenApiV2Format, Encoded> }>();

function encode(format: OpenApiV2Format, kinds: KindRegistry): Encoded {
  let forKinds = caches.get(kinds);
  if (forKinds?.generation !== kinds.generation) {
    forKinds = { generation: kinds.generation, encoded: new Map() };
    caches.set(kinds, forKinds);
  }
  const encoded = forKinds.encoded;
  let cached = encoded.get(format);
  if (!cached) {
    const doc = swaggerDocument(kinds);
    const body = Buffer.from(format === 'json' ? JSON.stringify(doc) : encodeSwaggerDocument(doc));
    // Like kube-openapi: an upper-case SHA-512 of the served bytes.
    cached = { body, etag: `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"` };
    encoded.set(format, cached);
  }
  return cached;
}

/** The format the Accept header prefers; JSON when it names none; undefined when none fits. */
export function negotiateOpenApiV2(accept: string | undefined): OpenApiV2Format | undefined {
  if (!accept || accept.trim() === '') return 'json';
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { range, q: q === undefined ? 1 : Number(q.slice(2)), index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { range } of ranges) {
    if (range === 'application/json' || range === 'application/*' || range === '*/*') return 'json';
    const [type, subtype = ''] = range.split('/');
    if (type === 'application' && protobufSubtypes.includes(subtype)) return 'protobuf';
  }
  return undefined;
}

export function serveOpenApiV2(req: IncomingMessage, res: ServerResponse, kinds = builtinOnly): void {
  const format = negotiateOpenApiV2(req.headers.accept);
  if (!format) {
    throw new ApiError(
      'NotAcceptable',
      `only application/json and ${openApiV2ProtobufType} are served at /openapi/v2 (asked for ${req.headers.accept})`,
    );
  }
  const { body, etag } = encode(format, kinds);
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ETag: etag, Vary: 'Accept' });
    res.end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': format === 'json' ? 'application/json' : openApiV2ProtobufType,
    'Content-Length': body.length,
    ETag: etag,
    Vary: 'Accept',
    'Cache-Control': 'no-cache, private',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
