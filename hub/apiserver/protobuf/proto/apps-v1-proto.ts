// k8s.io/api/apps/v1 (generated.proto): Deployment, ReplicaSet and DaemonSet.
// Field numbers follow apps/v1 generated.proto as of Kubernetes v1.36 (master); every field here
// has the same number in v1.32. The (nullable) and (embed) options: see apimachinery-proto.ts.
// Status conditions are skipped.

export const appsV1Proto = `
syntax = "proto2";
package k8s.io.api.apps.v1;

message Deployment {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional DeploymentSpec spec = 2;
  optional DeploymentStatus status = 3;
}

message DeploymentSpec {
  optional int32 replicas = 1 [(nullable) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2;
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 3;
  optional DeploymentStrategy strategy = 4;
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6 [(nullable) = true];
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9 [(nullable) = true];
}

message DeploymentStrategy {
  optional string type = 1;
  optional RollingUpdateDeployment rollingUpdate = 2;
}

message RollingUpdateDeployment {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 1 [(nullable) = true];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxSurge = 2 [(nullable) = true];
}

message DeploymentStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2;
  optional int32 updatedReplicas = 3;
  optional int32 availableReplicas = 4;
  optional int32 unavailableReplicas = 5;
  optional int32 readyReplicas = 7;
  optional int32 collisionCount = 8 [(nullable) = true];
}

message ReplicaSet {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ReplicaSetSpec spec = 2;
  optional ReplicaSetStatus status = 3;
}

message ReplicaSetSpec {
  optional int32 replicas = 1 [(nullable) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2;
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 3;
  optional int32 minReadySeconds = 4;
}

message ReplicaSetStatus {
  optional int32 replicas = 1;
  optional int32 fullyLabeledReplicas = 2;
  optional int64 observedGeneration = 3;
  optional int32 readyReplicas = 4;
  optional int32 availableReplicas = 5;
}

message DaemonSet {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional DaemonSetSpec spec = 2;
  optional DaemonSetStatus status = 3;
}

message DaemonSetSpec {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 1;
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 2;
  optional DaemonSetUpdateStrategy updateStrategy = 3;
  optional int32 minReadySeconds = 4;
  optional int32 revisionHistoryLimit = 6 [(nullable) = true];
}

message DaemonSetUpdateStrategy {
  optional string type = 1;
  optional RollingUpdateDaemonSet rollingUpdate = 2;
}

message RollingUpdateDaemonSet {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 1 [(nullable) = true];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxSurge = 2 [(nullable) = true];
}

message DaemonSetStatus {
  optional int32 currentNumberScheduled = 1;
  optional int32 numberMisscheduled = 2;
  optional int32 desiredNumberScheduled = 3;
  optional int32 numberReady = 4;
  optional int64 observedGeneration = 5;
  optional int32 updatedNumberScheduled = 6;
  optional int32 numberAvailable = 7;
  optional int32 numberUnavailable = 8;
  optional int32 collisionCount = 9 [(nullable) = true];
}
`;
