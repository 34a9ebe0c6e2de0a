// Label, annotation, finalizer and taint names the controllers share, as in k8s.io/api's
// well_known_labels.go, well_known_taints.go and the batch/apps API constants.

export const labels = {
  controllerRevisionHash: 'controller-revision-hash',
  jobName: 'batch.kubernetes.io/job-name',
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobCompletionIndex: 'batch.kubernetes.io/job-completion-index',
  serviceName: 'kubernetes.io/service-name',
  managedBy: 'endpointslice.kubernetes.io/managed-by',
  headless: 'service.kubernetes.io/headless',
  zone: 'topology.kubernetes.io/zone',
} as const;

export const annotations = {
  jobCompletionIndex: 'batch.kubernetes.io/job-completion-index',
  cronJobScheduledTimestamp: 'batch.kubernetes.io/cronjob-scheduled-timestamp',
} as const;

export const finalizers = {
  jobTracking: 'batch.kubernetes.io/job-tracking',
} as const;

export const taintKeys = {
  notReady: 'node.kubernetes.io/not-ready',
  unreachable: 'node.kubernetes.io/unreachable',
  unschedulable: 'node.kubernetes.io/unschedulable',
  memoryPressure: 'node.kubernetes.io/memory-pressure',
  diskPressure: 'node.kubernetes.io/disk-pressure',
  pidPressure: 'node.kubernetes.io/pid-pressure',
  networkUnavailable: 'node.kubernetes.io/network-unavailable',
} as const;

/** The EndpointSlice controller's name in the managed-by label. */
export const endpointSliceControllerName = 'endpointslice-controller.k8s.io';
