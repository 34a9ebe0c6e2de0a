// Objects by their controller, from an informer index (kube's controllers list every pod of the
// namespace at each sync and filter; with 100,000 pods in one namespace a rollout's ReplicaSet
// and Deployment syncs did just that, back to back). Each object is filed under its controller's
// uid, or as an orphan of its namespace — the only objects a controller may adopt.
import type { KubeObject } from '../../../api/types.js';
import type { Informer } from '../../client/informer.js';
import { controllerRefOf } from './controller-ref.js';

const controllerIndex = 'controller';

const filedUnder = (obj: KubeObject): string => {
  const ref = controllerRefOf(obj);
  return ref ? `uid\u0000${ref.uid}` : `orphan\u0000${obj.metadata.namespace ?? ''}`;
};

/** The objects of `namespace` whose controller reference names `uid`. */
export function controlledBy(informer: Informer, namespace: string | undefined, uid: string): KubeObject[] {
  informer.addIndex(controllerIndex, filedUnder);
  return informer
    .byIndex(controllerIndex, `uid\u0000${uid}`)
    .filter((obj) => obj.metadata.namespace === namespace);
}

/** The objects of `namespace` with no controller. */
export function orphansIn(informer: Informer, namespace: string | undefined): KubeObject[] {
  informer.addIndex(controllerIndex, filedUnder);
  return informer.byIndex(controllerIndex, `orphan\u0000${namespace ?? ''}`);
}
