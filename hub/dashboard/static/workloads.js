// A workload's row: desired, ready and up-to-date pods and its rollout state, worded as
// `kubectl rollout status` judges Deployments, DaemonSets and StatefulSets.

const n = (value) => (typeof value === 'number' ? value : 0);

function deploymentRow(d) {
  const desired = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const progressing = (s.conditions ?? []).find((c) => c.type === 'Progressing');
  let rollout = 'complete';
  if (n(s.observedGeneration) < n(d.metadata.generation)) rollout = 'waiting for the controller';
  else if (progressing?.reason === 'ProgressDeadlineExceeded') rollout = 'failed: progress deadline exceeded';
  else if (n(s.updatedReplicas) < desired)
    rollout = `rolling out: ${n(s.updatedReplicas)} of ${desired} updated`;
  else if (n(s.replicas) > n(s.updatedReplicas))
    rollout = `rolling out: ${n(s.replicas) - n(s.updatedReplicas)} old pods left`;
  else if (n(s.availableReplicas) < n(s.updatedReplicas))
    rollout = `rolling out: ${n(s.availableReplicas)} of ${n(s.updatedReplicas)} available`;
  return { desired, ready: n(s.readyReplicas), updated: n(s.updatedReplicas), rollout };
}

function daemonSetRow(ds) {
  const s = ds.status ?? {};
  const desired = n(s.desiredNumberScheduled);
  let rollout = 'complete';
  if (n(s.observedGeneration) < n(ds.metadata.generation)) rollout = 'waiting for the controller';
  else if (n(s.updatedNumberScheduled) < desired)
    rollout = `rolling out: ${n(s.updatedNumberScheduled)} of ${desired} updated`;
  else if (n(s.numberAvailable) < desired)
    rollout = `rolling out: ${n(s.numberAvailable)} of ${desired} available`;
  return { desired, ready: n(s.numberReady), updated: n(s.updatedNumberScheduled), rollout };
}

function statefulSetRow(ss) {
  const desired = ss.spec?.replicas ?? 1;
  const s = ss.status ?? {};
  let rollout = 'complete';
  if (n(s.observedGeneration) < n(ss.metadata.generation)) rollout = 'waiting for the controller';
  else if (n(s.readyReplicas) < desired) rollout = `rolling out: ${n(s.readyReplicas)} of ${desired} ready`;
  else if (s.updateRevision && s.currentRevision !== s.updateRevision)
    rollout = `rolling out: ${n(s.updatedReplicas)} of ${desired} updated`;
  return { desired, ready: n(s.readyReplicas), updated: n(s.updatedReplicas ?? s.currentReplicas), rollout };
}

export const workloadKinds = [
  { kind: 'Deployment', path: '/apis/apps/v1/deployments', row: deploymentRow },
  { kind: 'DaemonSet', path: '/apis/apps/v1/daemonsets', row: daemonSetRow },
  { kind: 'StatefulSet', path: '/apis/apps/v1/statefulsets', row: statefulSetRow },
];
