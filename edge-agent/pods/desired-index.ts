// The desired state as pod sync looks things up in it: pods by uid and by namespace/name,
// config maps and secrets by namespace/name. Rebuilt on every setDesired (level-based).
import type { DesiredState } from '../../api/mqtt/payloads/desired-state.js';
import type { KubeObject } from '../../api/types.js';
import { podName, podNamespace, podUid } from './pod-spec.js';

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function byKey(objects: KubeObject[]): Map<string, KubeObject> {
  return new Map(objects.map((o) => [key(o.metadata.namespace ?? 'default', o.metadata.name ?? ''), o]));
}

export class DesiredIndex {
  private readonly byUid: Map<string, KubeObject>;
  private readonly byName: Map<string, KubeObject>;
  private readonly configMaps: Map<string, KubeObject>;
  private readonly secrets: Map<string, KubeObject>;

  constructor(state?: DesiredState) {
    const pods = (state?.pods ?? []).filter((pod) => podUid(pod) !== '');
    this.byUid = new Map(pods.map((pod) => [podUid(pod), pod]));
    this.byName = new Map(pods.map((pod) => [key(podNamespace(pod), podName(pod)), pod]));
    this.configMaps = byKey(state?.configMaps ?? []);
    this.secrets = byKey(state?.secrets ?? []);
  }

  pods(): KubeObject[] {
    return [...this.byUid.values()];
  }

  pod(uid: string): KubeObject | undefined {
    return this.byUid.get(uid);
  }

  podByName(namespace: string, name: string): KubeObject | undefined {
    return this.byName.get(key(namespace, name));
  }

  configMap(namespace: string, name: string): KubeObject | undefined {
    return this.configMaps.get(key(namespace, name));
  }

  secret(namespace: string, name: string): KubeObject | undefined {
    return this.secrets.get(key(namespace, name));
  }

  /** What a pod's volumes are made of: when this changes, its volume files are rewritten. */
  volumeSourcesKey(pod: KubeObject): string {
    const namespace = podNamespace(pod);
    const volumes = ((pod.spec as { volumes?: Record<string, any>[] } | undefined)?.volumes ?? []).filter(
      (v) => v.configMap || v.secret || v.projected,
    );
    const configMap = (name: string) => {
      const found = this.configMap(namespace, name);
      return [found?.data, found?.binaryData];
    };
    const sources = volumes.map((v) => {
      if (v.configMap) return [v, ...configMap(v.configMap.name)];
      if (v.secret) return [v, this.secret(namespace, v.secret.secretName)?.data];
      // A projected volume: the config maps and secrets it projects (its downward API part is
      // the pod's metadata, which a new desired state brings along).
      const parts = (v.projected.sources ?? []).map((s: Record<string, any>) =>
        s.configMap
          ? configMap(s.configMap.name)
          : s.secret
            ? this.secret(namespace, s.secret.name)?.data
            : null,
      );
      return [v, parts];
    });
    return JSON.stringify(sources);
  }
}
