// A small stand-in for the pod manager behind PodManagerApi: it records every desired state it
// is handed, starts each new pod in the (fake) runtime as one sandbox and one container, and
// reports it Running. Tests can also report statuses and events themselves.
import type { DesiredState } from '../../../api/mqtt/payloads/desired-state.js';
import type { PodStatus, PodStatusItem } from '../../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../../api/types.js';
import type { PodManagerApi, PodManagerReports } from '../../../edge-agent/pods/pod-manager-contract.js';
import type { PodManagerDeps } from '../../../edge-agent/pods/pod-manager-factory.js';
import type { ContainerRuntime } from '../../../edge-agent/runtime/container-runtime.js';

export class FakePodManager implements PodManagerApi {
  readonly desired: DesiredState[] = [];
  started = false;
  stopped = false;
  private readonly running = new Map<string, { pod: KubeObject; status: PodStatus }>();
  private readonly runtime: ContainerRuntime;
  readonly reports: PodManagerReports;

  constructor(deps: PodManagerDeps) {
    this.runtime = deps.runtime;
    this.reports = deps.reports;
  }

  setDesired(state: DesiredState): void {
    this.desired.push(state);
    for (const pod of state.pods) {
      const uid = pod.metadata.uid ?? '';
      if (!this.running.has(uid)) void this.run(pod);
    }
  }

  async start(): Promise<void> {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  runningPods(): { pod: KubeObject; status: PodStatusItem['status'] }[] {
    return [...this.running.values()];
  }

  async readLogs(namespace: string, name: string): Promise<string> {
    return `logs of ${namespace}/${name}\n`;
  }

  async readLogsFrom(namespace: string, name: string, _container: string | undefined, offset: number) {
    const text = offset === 0 ? `logs of ${namespace}/${name}` : '';
    const entries = text ? [{ time: '', stream: 'stdout' as const, partial: false, text }] : [];
    return { entries, offset: offset + text.length + (text ? 1 : 0), containerId: name, running: false };
  }

  /** Reports a status of `pod` observed at `observedAt`. */
  report(pod: KubeObject, phase: PodStatus['phase'], observedAt = Date.now()): void {
    this.reports.podStatus({
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name ?? '',
      uid: pod.metadata.uid ?? '',
      observedAt,
      status: { phase, conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }] },
    });
  }

  private async run(pod: KubeObject): Promise<void> {
    const { name = '', namespace = 'default', uid = '' } = pod.metadata;
    this.running.set(uid, { pod, status: { phase: 'Pending' } });
    const sandbox = {
      metadata: { name, namespace, uid, attempt: 0 },
      logDirectory: `/tmp/fake-pods/${uid}`,
      hostNetwork: false,
      portMappings: [],
      labels: { 'io.kubernetes.pod.uid': uid },
      annotations: {},
    };
    const sandboxId = await this.runtime.runPodSandbox(sandbox);
    await this.runtime.pullImage('docker.io/library/busybox:1.36');
    const id = await this.runtime.createContainer(
      sandboxId,
      {
        name: 'app',
        attempt: 0,
        image: 'docker.io/library/busybox:1.36',
        command: [],
        args: [],
        envs: [],
        mounts: [],
        labels: {},
        annotations: {},
        logPath: 'app/0.log',
      },
      sandbox,
    );
    await this.runtime.startContainer(id);
    this.running.set(uid, { pod, status: { phase: 'Running' } });
    this.report(pod, 'Running');
    this.reports.event({
      involvedObject: { kind: 'Pod', namespace, name, uid },
      type: 'Normal',
      reason: 'Started',
      message: 'Started container app',
      observedAt: Date.now(),
    });
  }
}
