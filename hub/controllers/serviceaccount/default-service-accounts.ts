// The `default` ServiceAccount in every namespace (kube-controller-manager's serviceaccounts
// controller): created with the namespace, and again if someone deletes it. Pods that name no
// ServiceAccount run as it.
import type { ControllerContext } from '../runtime/controller.js';
import { NamespaceObjectController } from './namespace-object-controller.js';

export const defaultServiceAccountName = 'default';

export function defaultServiceAccountsController(ctx: ControllerContext): NamespaceObjectController {
  return new NamespaceObjectController(ctx, {
    name: 'serviceaccount',
    resource: { group: '', resource: 'serviceaccounts' },
    objectName: defaultServiceAccountName,
    desired: (namespace) => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: defaultServiceAccountName, namespace },
    }),
  });
}
