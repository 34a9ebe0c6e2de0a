// Keeps a running pod's volumes current: when a config map or secret it mounts changes, or a
// ServiceAccount token it holds is due for renewal, its files are rewritten (atomically) while
// the containers run, as the kubelet does. What each
// pod's volumes were last made of is remembered, so unchanged pods cost nothing.
import type { KubeObject } from '../../api/types.js';
import type { DesiredIndex } from './desired-index.js';
import type { EmitEvent } from './pod-events.js';
import { isDeleting, podUid } from './pod-spec.js';
import { setUpVolumes, VolumeError } from './pod-volumes.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';

export interface RefreshDeps {
  podDir: string;
  desired: DesiredIndex;
  event: EmitEvent;
  tokens?: ServiceAccountTokens | undefined;
}

export class VolumeRefresher {
  private readonly applied = new Map<string, string>();

  constructor(private readonly tokens?: ServiceAccountTokens) {}

  /**
   * The sources key to refresh to, or undefined when the pod's volumes are current: the config
   * maps and secrets they show changed, or a ServiceAccount token is due for renewal.
   */
  due(pod: KubeObject, desired: DesiredIndex, sandboxReady: boolean): string | undefined {
    if (!sandboxReady || isDeleting(pod)) return undefined;
    const key = desired.volumeSourcesKey(pod);
    if (this.tokens?.refreshDue(podUid(pod))) return key;
    return this.applied.get(podUid(pod)) === key ? undefined : key;
  }

  async refresh(pod: KubeObject, key: string, deps: RefreshDeps): Promise<void> {
    if (await refreshVolumes(pod, deps)) this.applied.set(podUid(pod), key);
  }

  forget(uid: string): void {
    this.applied.delete(uid);
    this.tokens?.forget(uid);
  }
}

/** Returns false when a volume could not be set up (a FailedMount event says why). */
export async function refreshVolumes(pod: KubeObject, deps: RefreshDeps): Promise<boolean> {
  try {
    await setUpVolumes({
      pod,
      podDir: deps.podDir,
      configMap: (namespace, name) => deps.desired.configMap(namespace, name),
      secret: (namespace, name) => deps.desired.secret(namespace, name),
      tokens: deps.tokens,
    });
    return true;
  } catch (error) {
    if (!(error instanceof VolumeError)) throw error;
    deps.event('Warning', 'FailedMount', error.message);
    return false;
  }
}
