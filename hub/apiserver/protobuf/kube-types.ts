// The protobuf message types of the kinds kubectl's typed clients may send as
// `application/vnd.kubernetes.protobuf`, parsed once from the .proto texts under proto/.
// Parsing and resolving happen at import, so a broken schema fails the hub at boot.
import protobuf from 'protobufjs';
import { groupVersion } from '../../../api/resources.js';
import { builtinKinds, kindOf } from '../../kinds/builtin-kinds.js';
import { intstrProto, metaV1Proto, resourceProto, runtimeProto } from './proto/apimachinery-proto.js';
import { appsV1Proto } from './proto/apps-v1-proto.js';
import { batchV1Proto } from './proto/batch-v1-proto.js';
import { coreV1ContainerProto } from './proto/core-v1-container-proto.js';
import { coreV1ObjectsProto } from './proto/core-v1-objects-proto.js';
import { coreV1PodSpecProto } from './proto/core-v1-pod-spec-proto.js';
import { coreV1VolumeProto } from './proto/core-v1-volume-proto.js';

const protoTexts = [
  runtimeProto,
  resourceProto,
  intstrProto,
  metaV1Proto,
  coreV1ObjectsProto,
  coreV1PodSpecProto,
  coreV1ContainerProto,
  coreV1VolumeProto,
  appsV1Proto,
  batchV1Proto,
];

function buildRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // keepCase: Kubernetes' proto field names are already the JSON names (apiVersion, nodeName).
  for (const text of protoTexts) protobuf.parse(text, root, { keepCase: true });
  root.resolveAll();
  return root;
}

const root = buildRoot();

/** The runtime.Unknown envelope that follows the 4-byte magic. */
export const unknownType: protobuf.Type = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');

/** Full names of the value types whose JSON form is not an object. */
export const specialTypes = {
  time: '.k8s.io.apimachinery.pkg.apis.meta.v1.Time',
  quantity: '.k8s.io.apimachinery.pkg.api.resource.Quantity',
  intOrString: '.k8s.io.apimachinery.pkg.util.intstr.IntOrString',
} as const;

/** The message type for an object of this apiVersion and kind, if it can be decoded. */
export function kubeObjectType(apiVersion: string, kind: string): protobuf.Type | undefined {
  const name = kindOf(apiVersion, kind)?.protobufMessage;
  return name === undefined ? undefined : root.lookupType(name);
}

/** `v1 ConfigMap, ..., batch/v1 Job`, for error messages. */
export function decodableKinds(): string {
  return builtinKinds
    .filter((k) => k.protobufMessage !== undefined)
    .map((k) => k.info)
    .sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind))
    .map((info) => `${groupVersion(info)} ${info.kind}`)
    .join(', ');
}
