// Which runtime container `kubectl exec` means: a pod this gateway runs (by namespace and name,
// the uid from the agent's own pods), the named container or the pod's only one, and its
// running instance — as the kubelet's getExec finds it among the running pods. The messages are
// what a user needs to act on; the hub turns "not found" into 404 and the rest into 400.
import type { KubeObject } from '../../api/types.js';
import type { ContainerRuntime, ContainerStatus } from '../runtime/container-runtime.js';
import { allContainersOf, appContainersOf, podName, podNamespace, podUid } from './pod-spec.js';
import { ContainerNameLabel, PodUidLabel } from './runtime-labels.js';

export class ExecTargetError extends Error {
  override name = 'ExecTargetError';
}

export interface ExecTargetDeps {
  runtime: Pick<ContainerRuntime, 'listContainers'>;
  /** The pods the agent runs now (PodManagerApi.runningPods). */
  pods(): Array<{ pod: KubeObject }>;
  nodeName: string;
}

export interface ExecTarget {
  containerId: string;
  container: string;
}

export async function findExecTarget(
  deps: ExecTargetDeps,
  namespace: string,
  name: string,
  wanted: string | undefined,
): Promise<ExecTarget> {
  const pod = deps.pods().find(({ pod }) => podNamespace(pod) === namespace && podName(pod) === name)?.pod;
  if (!pod) {
    throw new ExecTargetError(`pod ${namespace}/${name} not found on gateway ${deps.nodeName}`);
  }
  const app = appContainersOf(pod).map((c) => c.name);
  const container = wanted ?? (app.length === 1 ? app[0] : undefined);
  if (container === undefined) {
    throw new ExecTargetError(
      `a container name must be specified for pod ${name}, choose one of: [${app.join(' ')}]`,
    );
  }
  if (!allContainersOf(pod).some((c) => c.container.name === container)) {
    throw new ExecTargetError(`container ${container} is not valid for pod ${name}`);
  }
  const uid = podUid(pod);
  const instances = (await deps.runtime.listContainers())
    .filter((c) => c.labels[PodUidLabel] === uid && (c.labels[ContainerNameLabel] ?? c.name) === container)
    .sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
  const running = instances.find((c) => c.state === 'RUNNING');
  if (!running) {
    throw new ExecTargetError(
      `container ${container} in pod ${namespace}/${name} is not running${describeLast(instances[0])}`,
    );
  }
  return { containerId: running.id, container };
}

function describeLast(latest: ContainerStatus | undefined): string {
  if (!latest) return ' (not started yet)';
  if (latest.state === 'EXITED') {
    return ` (it exited with code ${latest.exitCode}${latest.reason ? `, ${latest.reason}` : ''})`;
  }
  return ` (state ${latest.state.toLowerCase()})`;
}
