// The k8s.io/apimachinery messages every Kubernetes protobuf body is built from: the
// runtime.Unknown envelope, meta/v1 object metadata and selectors, and the three value types
// with a custom JSON form (Time, Quantity, IntOrString).
//
// Written for Flotilla in .proto syntax and parsed at start-up by protobufjs. Field numbers
// follow the generated.proto files of k8s.io/apimachinery as of Kubernetes v1.36 (master at the
// time of writing); numbers are never reused, and every field here has the same number in v1.32,
// the version kubectl in this repo speaks. Two Flotilla-only field options carry what the Go
// structs know and .proto cannot say (see message-to-json.ts):
//   [(nullable) = true]  the Go field is a pointer: a zero value on the wire is a real value;
//   [(embed) = true]     the Go field is embedded with `json:",inline"`: its fields are lifted.

/** k8s.io/apimachinery/pkg/runtime: the envelope after the `k8s\0` magic. */
export const runtimeProto = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}

message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`;

/** k8s.io/apimachinery/pkg/api/resource: a Quantity travels as its canonical string. */
export const resourceProto = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;

message Quantity {
  optional string string = 1;
}
`;

/** k8s.io/apimachinery/pkg/util/intstr: type 0 is intVal, type 1 is strVal. */
export const intstrProto = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;

message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}
`;

/** k8s.io/apimachinery/pkg/apis/meta/v1. managedFields (17) is left out: it is skipped. */
export const metaV1Proto = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10 [(nullable) = true];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
}

message OwnerReference {
  optional string kind = 1;
  optional string name = 3;
  optional string uid = 4;
  optional string apiVersion = 5;
  optional bool controller = 6 [(nullable) = true];
  optional bool blockOwnerDeletion = 7 [(nullable) = true];
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message LabelSelectorRequirement {
  optional string key = 1;
  optional string operator = 2;
  repeated string values = 3;
}
`;
