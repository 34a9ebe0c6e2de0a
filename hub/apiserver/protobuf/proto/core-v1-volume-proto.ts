// k8s.io/api/core/v1 (generated.proto): pod volumes. VolumeSource lists only the sources an
// edge pod can use (the cloud and cluster-storage ones are skipped as unknown fields).
// Field numbers follow core/v1 generated.proto as of Kubernetes v1.36 (master); every field here
// has the same number in v1.32. The (nullable) and (embed) options: see apimachinery-proto.ts.

export const coreV1VolumeProto = `
syntax = "proto2";
package k8s.io.api.core.v1;

message Volume {
  optional string name = 1;
  optional VolumeSource volumeSource = 2 [(embed) = true];
}

message VolumeSource {
  optional HostPathVolumeSource hostPath = 1;
  optional EmptyDirVolumeSource emptyDir = 2;
  optional SecretVolumeSource secret = 6;
  optional NFSVolumeSource nfs = 7;
  optional PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10;
  optional DownwardAPIVolumeSource downwardAPI = 16;
  optional ConfigMapVolumeSource configMap = 19;
  optional ProjectedVolumeSource projected = 26;
  optional ImageVolumeSource image = 30;
}

message HostPathVolumeSource {
  optional string path = 1;
  optional string type = 2 [(nullable) = true];
}

message EmptyDirVolumeSource {
  optional string medium = 1;
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity sizeLimit = 2;
}

message SecretVolumeSource {
  optional string secretName = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(nullable) = true];
  optional bool optional = 4 [(nullable) = true];
}

message NFSVolumeSource {
  optional string server = 1;
  optional string path = 2;
  optional bool readOnly = 3;
}

message PersistentVolumeClaimVolumeSource {
  optional string claimName = 1;
  optional bool readOnly = 2;
}

message DownwardAPIVolumeSource {
  repeated DownwardAPIVolumeFile items = 1;
  optional int32 defaultMode = 2 [(nullable) = true];
}

message DownwardAPIVolumeFile {
  optional string path = 1;
  optional ObjectFieldSelector fieldRef = 2;
  optional ResourceFieldSelector resourceFieldRef = 3;
  optional int32 mode = 4 [(nullable) = true];
}

message ConfigMapVolumeSource {
  optional LocalObjectReference localObjectReference = 1 [(embed) = true];
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(nullable) = true];
  optional bool optional = 4 [(nullable) = true];
}

message KeyToPath {
  optional string key = 1;
  optional string path = 2;
  optional int32 mode = 3 [(nullable) = true];
}

message ProjectedVolumeSource {
  repeated VolumeProjection sources = 1;
  optional int32 defaultMode = 2 [(nullable) = true];
}

message VolumeProjection {
  optional SecretProjection secret = 1;
  optional DownwardAPIProjection downwardAPI = 2;
  optional ConfigMapProjection configMap = 3;
  optional ServiceAccountTokenProjection serviceAccountToken = 4;
}

message SecretProjection {
  optional LocalObjectReference localObjectReference = 1 [(embed) = true];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(nullable) = true];
}

message ConfigMapProjection {
  optional LocalObjectReference localObjectReference = 1 [(embed) = true];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(nullable) = true];
}

message DownwardAPIProjection {
  repeated DownwardAPIVolumeFile items = 1;
}

message ServiceAccountTokenProjection {
  optional string audience = 1;
  optional int64 expirationSeconds = 2 [(nullable) = true];
  optional string path = 3;
}

message ImageVolumeSource {
  optional string reference = 1;
  optional string pullPolicy = 2;
}
`;
