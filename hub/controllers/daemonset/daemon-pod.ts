// A DaemonSet's pod for one node. As in kube since 1.12, the pod is not bound directly: its
// required node affinity is replaced by one term, `matchFields metadata.name In [node]`, and
// the scheduler binds it, so resources, ports and preemption are checked like any pod's.
import type { KubeObject } from '../../../api/types.js';
import type { Affinity } from '../../scheduler/types.js';
import { newControllerRef } from '../objects/controller-ref.js';
import type { Pod, PodTemplate } from '../objects/kinds.js';
import { labels } from '../objects/well-known.js';
import { daemonPodTolerations } from './daemon-eligibility.js';

/** The affinity with its required node terms replaced by a pin to `nodeName`. */
export function pinnedAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const pin = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const nodeAffinity = affinity?.nodeAffinity ?? {};
  return {
    ...affinity,
    nodeAffinity: {
      ...nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: {
        ...nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution,
        nodeSelectorTerms: [pin],
      },
    },
  };
}

/** The node a daemon pod is for: where it is bound, else where its affinity pins it. */
export function daemonPodNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length !== 1) return undefined;
  const fields = terms[0]?.matchFields ?? [];
  const pin = fields.find((f) => f.key === 'metadata.name' && f.operator === 'In');
  return pin?.values?.length === 1 ? pin.values[0] : undefined;
}

export function newDaemonPod(
  ds: KubeObject,
  template: PodTemplate,
  hash: string,
  nodeName: string,
): KubeObject {
  const spec = structuredClone(template.spec ?? {});
  spec.tolerations = daemonPodTolerations(spec);
  spec.affinity = pinnedAffinity(spec.affinity, nodeName);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...template.metadata?.labels, [labels.controllerRevisionHash]: hash },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(ds)],
    },
    spec,
  };
}
