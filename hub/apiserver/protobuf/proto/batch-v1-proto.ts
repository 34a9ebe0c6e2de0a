// k8s.io/api/batch/v1 (generated.proto): Job and CronJob.
// Field numbers follow batch/v1 generated.proto as of Kubernetes v1.36 (master); every field here
// has the same number in v1.32. The (nullable) and (embed) options: see apimachinery-proto.ts.
// Status conditions are skipped.

export const batchV1Proto = `
syntax = "proto2";
package k8s.io.api.batch.v1;

message Job {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional JobSpec spec = 2;
  optional JobStatus status = 3;
}

message JobSpec {
  optional int32 parallelism = 1 [(nullable) = true];
  optional int32 completions = 2 [(nullable) = true];
  optional int64 activeDeadlineSeconds = 3 [(nullable) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 4;
  optional bool manualSelector = 5 [(nullable) = true];
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 6;
  optional int32 backoffLimit = 7 [(nullable) = true];
  optional int32 ttlSecondsAfterFinished = 8 [(nullable) = true];
  optional string completionMode = 9 [(nullable) = true];
  optional bool suspend = 10 [(nullable) = true];
  optional PodFailurePolicy podFailurePolicy = 11;
  optional int32 backoffLimitPerIndex = 12 [(nullable) = true];
  optional int32 maxFailedIndexes = 13 [(nullable) = true];
  optional string podReplacementPolicy = 14 [(nullable) = true];
  optional string managedBy = 15 [(nullable) = true];
  optional SuccessPolicy successPolicy = 16;
}

message PodFailurePolicy {
  repeated PodFailurePolicyRule rules = 1;
}

message PodFailurePolicyRule {
  optional string action = 1;
  optional PodFailurePolicyOnExitCodesRequirement onExitCodes = 2;
  repeated PodFailurePolicyOnPodConditionsPattern onPodConditions = 3;
}

message PodFailurePolicyOnExitCodesRequirement {
  optional string containerName = 1 [(nullable) = true];
  optional string operator = 2;
  repeated int32 values = 3;
}

message PodFailurePolicyOnPodConditionsPattern {
  optional string type = 1;
  optional string status = 2;
}

message SuccessPolicy {
  repeated SuccessPolicyRule rules = 1;
}

message SuccessPolicyRule {
  optional string succeededIndexes = 1 [(nullable) = true];
  optional int32 succeededCount = 2 [(nullable) = true];
}

message JobStatus {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startTime = 2;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time completionTime = 3;
  optional int32 active = 4;
  optional int32 succeeded = 5;
  optional int32 failed = 6;
  optional string completedIndexes = 7;
  optional int32 ready = 9 [(nullable) = true];
}

message CronJob {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional CronJobSpec spec = 2;
  optional CronJobStatus status = 3;
}

message CronJobSpec {
  optional string schedule = 1;
  optional int64 startingDeadlineSeconds = 2 [(nullable) = true];
  optional string concurrencyPolicy = 3;
  optional bool suspend = 4 [(nullable) = true];
  optional JobTemplateSpec jobTemplate = 5;
  optional int32 successfulJobsHistoryLimit = 6 [(nullable) = true];
  optional int32 failedJobsHistoryLimit = 7 [(nullable) = true];
  optional string timeZone = 8 [(nullable) = true];
}

message JobTemplateSpec {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional JobSpec spec = 2;
}

message CronJobStatus {
  repeated .k8s.io.api.core.v1.ObjectReference active = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastScheduleTime = 4;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastSuccessfulTime = 5;
}
`;
