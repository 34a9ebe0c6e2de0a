// k8s.io/api/core/v1 (generated.proto): PodSpec and its scheduling, DNS and pod-level security
// settings.
// Field numbers follow core/v1 generated.proto as of Kubernetes v1.36 (master); every field here
// has the same number in v1.32. The (nullable) and (embed) options: see apimachinery-proto.ts.

export const coreV1PodSpecProto = `
syntax = "proto2";
package k8s.io.api.core.v1;

message PodSpec {
  repeated Volume volumes = 1;
  repeated Container containers = 2;
  optional string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4 [(nullable) = true];
  optional int64 activeDeadlineSeconds = 5 [(nullable) = true];
  optional string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8;
  optional string serviceAccount = 9;
  optional string nodeName = 10;
  optional bool hostNetwork = 11;
  optional bool hostPID = 12;
  optional bool hostIPC = 13;
  optional PodSecurityContext securityContext = 14;
  repeated LocalObjectReference imagePullSecrets = 15;
  optional string hostname = 16;
  optional string subdomain = 17;
  optional Affinity affinity = 18;
  optional string schedulerName = 19;
  repeated Container initContainers = 20;
  optional bool automountServiceAccountToken = 21 [(nullable) = true];
  repeated Toleration tolerations = 22;
  repeated HostAlias hostAliases = 23;
  optional string priorityClassName = 24;
  optional int32 priority = 25 [(nullable) = true];
  optional PodDNSConfig dnsConfig = 26;
  optional bool shareProcessNamespace = 27 [(nullable) = true];
  repeated PodReadinessGate readinessGates = 28;
  optional string runtimeClassName = 29 [(nullable) = true];
  optional bool enableServiceLinks = 30 [(nullable) = true];
  optional string preemptionPolicy = 31 [(nullable) = true];
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> overhead = 32;
  repeated TopologySpreadConstraint topologySpreadConstraints = 33;
  repeated EphemeralContainer ephemeralContainers = 34;
  optional bool setHostnameAsFQDN = 35 [(nullable) = true];
  optional PodOS os = 36;
  optional bool hostUsers = 37 [(nullable) = true];
  repeated PodSchedulingGate schedulingGates = 38;
  repeated PodResourceClaim resourceClaims = 39;
  optional ResourceRequirements resources = 40;
}

// EphemeralContainerCommon repeats Container's fields under the same numbers, so Container
// decodes it.
message EphemeralContainer {
  optional Container ephemeralContainerCommon = 1 [(embed) = true];
  optional string targetContainerName = 2;
}

message PodSecurityContext {
  optional SELinuxOptions seLinuxOptions = 1;
  optional int64 runAsUser = 2 [(nullable) = true];
  optional bool runAsNonRoot = 3 [(nullable) = true];
  repeated int64 supplementalGroups = 4;
  optional int64 fsGroup = 5 [(nullable) = true];
  optional int64 runAsGroup = 6 [(nullable) = true];
  repeated Sysctl sysctls = 7;
  optional WindowsSecurityContextOptions windowsOptions = 8;
  optional string fsGroupChangePolicy = 9 [(nullable) = true];
  optional SeccompProfile seccompProfile = 10;
  optional AppArmorProfile appArmorProfile = 11;
  optional string supplementalGroupsPolicy = 12 [(nullable) = true];
  optional string seLinuxChangePolicy = 13 [(nullable) = true];
}

message SELinuxOptions {
  optional string user = 1;
  optional string role = 2;
  optional string type = 3;
  optional string level = 4;
}

message WindowsSecurityContextOptions {
  optional string gmsaCredentialSpecName = 1 [(nullable) = true];
  optional string gmsaCredentialSpec = 2 [(nullable) = true];
  optional string runAsUserName = 3 [(nullable) = true];
  optional bool hostProcess = 4 [(nullable) = true];
}

message SeccompProfile {
  optional string type = 1;
  optional string localhostProfile = 2 [(nullable) = true];
}

message AppArmorProfile {
  optional string type = 1;
  optional string localhostProfile = 2 [(nullable) = true];
}

message Sysctl {
  optional string name = 1;
  optional string value = 2;
}

message Affinity {
  optional NodeAffinity nodeAffinity = 1;
  optional PodAffinity podAffinity = 2;
  optional PodAntiAffinity podAntiAffinity = 3;
}

message NodeAffinity {
  optional NodeSelector requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated PreferredSchedulingTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message NodeSelector {
  repeated NodeSelectorTerm nodeSelectorTerms = 1;
}

message NodeSelectorTerm {
  repeated NodeSelectorRequirement matchExpressions = 1;
  repeated NodeSelectorRequirement matchFields = 2;
}

message NodeSelectorRequirement {
  optional string key = 1;
  optional string operator = 2;
  repeated string values = 3;
}

message PreferredSchedulingTerm {
  optional int32 weight = 1;
  optional NodeSelectorTerm preference = 2;
}

message PodAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAntiAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAffinityTerm {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 1;
  repeated string namespaces = 2;
  optional string topologyKey = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector namespaceSelector = 4;
  repeated string matchLabelKeys = 5;
  repeated string mismatchLabelKeys = 6;
}

message WeightedPodAffinityTerm {
  optional int32 weight = 1;
  optional PodAffinityTerm podAffinityTerm = 2;
}

message Toleration {
  optional string key = 1;
  optional string operator = 2;
  optional string value = 3;
  optional string effect = 4;
  optional int64 tolerationSeconds = 5 [(nullable) = true];
}

message HostAlias {
  optional string ip = 1;
  repeated string hostnames = 2;
}

message PodDNSConfig {
  repeated string nameservers = 1;
  repeated string searches = 2;
  repeated PodDNSConfigOption options = 3;
}

message PodDNSConfigOption {
  optional string name = 1;
  optional string value = 2 [(nullable) = true];
}

message PodReadinessGate {
  optional string conditionType = 1;
}

message TopologySpreadConstraint {
  optional int32 maxSkew = 1;
  optional string topologyKey = 2;
  optional string whenUnsatisfiable = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 4;
  optional int32 minDomains = 5 [(nullable) = true];
  optional string nodeAffinityPolicy = 6 [(nullable) = true];
  optional string nodeTaintsPolicy = 7 [(nullable) = true];
  repeated string matchLabelKeys = 8;
}

message PodOS {
  optional string name = 1;
}

message PodSchedulingGate {
  optional string name = 1;
}

message PodResourceClaim {
  optional string name = 1;
  optional string resourceClaimName = 3 [(nullable) = true];
  optional string resourceClaimTemplateName = 4 [(nullable) = true];
}
`;
