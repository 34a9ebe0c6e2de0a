// Request bodies: bounded in size (kube-apiserver's limit is 3 MiB) and nesting depth, and
// parsed as JSON, YAML or Kubernetes protobuf.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from '../../../api/errors.js';
import { decodeKubernetesProtobuf, isProtobufContentType } from '../protobuf/decode-object.js';
import { checkJsonTextDepth, checkValueDepth, checkYamlTextDepth, tooDeep } from './nesting-depth.js';

export const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Whether parseBody reads a body of this content type as JSON text. */
export function readsAsJson(contentType: string | undefined): boolean {
  return !isProtobufContentType(contentType) && !mediaTypeOf(contentType).endsWith('yaml');
}

/**
 * Parses a body as JSON (or YAML for the yaml media types, or the built-in kinds in Kubernetes
 * protobuf, which kubectl's typed clients send). Empty bodies parse as undefined.
 */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (isProtobufContentType(contentType)) {
    if (raw.length === 0) return undefined;
    const decoded = decodeKubernetesProtobuf(raw);
    checkValueDepth(decoded, 'protobuf');
    return decoded;
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  const type = mediaTypeOf(contentType);
  // CBOR and other encodings are not served: a 415 makes client-go fall back to JSON.
  if (type !== '' && !type.endsWith('json') && !type.endsWith('yaml') && type !== '*/*') {
    throw unsupportedMediaType(type);
  }
  if (type.endsWith('yaml')) {
    checkYamlTextDepth(text);
    let decoded: unknown;
    try {
      decoded = parseYaml(text);
    } catch (err) {
      // Block collections nest by indentation and are not counted before parsing.
      if (err instanceof RangeError) throw tooDeep('YAML');
      throw badRequest(`the body of the request is not valid YAML: ${(err as Error).message}`);
    }
    checkValueDepth(decoded, 'YAML');
    return decoded;
  }
  checkJsonTextDepth(text);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the body of the request is not valid JSON: ${(err as Error).message}`);
  }
}
