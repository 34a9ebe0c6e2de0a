// Request bodies in Kubernetes' protobuf encoding. kubectl's typed clients (every
// `kubectl create <kind>` subcommand) send built-in kinds this way and do not fall back to
// JSON, so the hub decodes them into the object the JSON path would have parsed.
//
// Wire format (k8s.io/apimachinery/pkg/runtime/serializer/protobuf): the 4-byte magic
// "k8s\0", then a runtime.Unknown { typeMeta, raw, contentEncoding, contentType } whose `raw`
// holds the object's own message (k8s.io/api/<group>/<version>/generated.proto).
import { badRequest } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { decodableKinds, kubeObjectType, unknownType } from './kube-types.js';
import { messageToJson } from './message-to-json.js';

export const protobufContentType = 'application/vnd.kubernetes.protobuf';

const magic = Buffer.from('k8s\0', 'latin1');

/** True for `application/vnd.kubernetes.protobuf`, whatever its parameters. */
export function isProtobufContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === protobufContentType;
}

interface Envelope {
  typeMeta?: { apiVersion?: string; kind?: string };
  raw?: Uint8Array;
  contentEncoding?: string;
  contentType?: string;
}

export function decodeKubernetesProtobuf(body: Buffer): KubeObject {
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) {
    throw badRequest('the protobuf body does not start with the Kubernetes magic number "k8s\\x00"');
  }
  const envelope = decodeEnvelope(body.subarray(magic.length));
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  if (envelope.contentEncoding) {
    throw badRequest(`protobuf contentEncoding "${envelope.contentEncoding}" is not supported`);
  }
  if (envelope.contentType && envelope.contentType !== protobufContentType) {
    throw badRequest(`protobuf envelope holds unsupported content type "${envelope.contentType}"`);
  }
  const type = kubeObjectType(apiVersion, kind);
  if (!type) {
    throw badRequest(
      `cannot decode kind "${kind}" in version "${apiVersion}" from protobuf; ` +
        `supported kinds are ${decodableKinds()} (send other kinds as JSON)`,
    );
  }
  let fields: Record<string, unknown>;
  try {
    fields = messageToJson(type, type.decode(envelope.raw ?? new Uint8Array()));
  } catch (err) {
    throw badRequest(`malformed protobuf ${apiVersion} ${kind}: ${(err as Error).message}`);
  }
  return { apiVersion, kind, metadata: {}, ...fields };
}

function decodeEnvelope(bytes: Buffer): Envelope {
  try {
    return unknownType.decode(bytes) as Envelope;
  } catch (err) {
    throw badRequest(`malformed protobuf envelope (runtime.Unknown): ${(err as Error).message}`);
  }
}
