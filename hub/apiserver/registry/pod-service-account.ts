// The ServiceAccount admission of a pod create (api/defaults/service-account-admission.ts), with
// the lookup of the ServiceAccount it names. kube-apiserver refuses a pod whose ServiceAccount
// does not exist (403). Right after a namespace is created its `default` ServiceAccount is a few
// milliseconds away (the serviceaccount controller makes it); kube-apiserver refuses pods in that
// window and clients retry, the hub waits up to two seconds for it instead, so that `kubectl
// create namespace x` followed at once by a pod in x works.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  admitPodServiceAccount,
  defaultServiceAccount,
  podServiceAccountName,
} from '../../../api/defaults/service-account-admission.js';
import { forbiddenRequest } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import type { Store } from '../../store/store.js';
import { generateNameSuffix } from './object-lifecycle.js';

const defaultAccountWaitMs = 2000;
const pollMs = 50;
/** Pods a kubelet mirrors from its static manifests are not admitted (kube skips them too). */
const mirrorAnnotation = 'kubernetes.io/config.mirror';

export function podServiceAccountAdmission(store: Store): (pod: KubeObject) => Promise<void> {
  return async (pod) => {
    if (pod.metadata.annotations?.[mirrorAnnotation] !== undefined) return;
    const namespace = pod.metadata.namespace ?? '';
    const name = podServiceAccountName(pod);
    const lookup = () => store.get('serviceaccounts', { namespace, name });
    let sa = await lookup();
    for (
      let waited = 0;
      !sa && name === defaultServiceAccount && waited < defaultAccountWaitMs;
      waited += pollMs
    ) {
      await sleep(pollMs);
      sa = await lookup();
    }
    if (!sa) {
      throw forbiddenRequest(
        `pods "${pod.metadata.name ?? ''}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
      );
    }
    admitPodServiceAccount(pod, sa, generateNameSuffix);
  };
}
