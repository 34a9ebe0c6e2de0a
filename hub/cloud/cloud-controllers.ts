// The cloud controller manager's controllers for the chosen provider (`--cloud-provider`):
// with `site`, the cloud node controller and the service (load balancer) controller over one
// SiteProvider; with `none`, nothing (Nodes are never tainted uninitialized, LoadBalancer
// Services stay pending, as before the cloud controller manager existed).
import {
  type Controller,
  type ControllerContext,
  type RunningComponent,
  runControllers,
} from '../controllers/runtime/controller.js';
import { CloudNodeController } from './cloud-node-controller.js';
import { type CloudProviderName, cloudTaints } from './cloud-provider.js';
import { ServiceLoadBalancerController } from './service-lb-controller.js';
import { SiteProvider } from './site-provider.js';

export function cloudControllers(ctx: ControllerContext, provider: CloudProviderName): Controller[] {
  if (provider === 'none') return [];
  const site = new SiteProvider(ctx.informers);
  return [new CloudNodeController(ctx, site), new ServiceLoadBalancerController(ctx, site)];
}

/**
 * The cloud controller manager: its controllers for `provider`, only those named in `only` if
 * given. Each logs as cloud-controller-manager/<its name>.
 */
export function startCloudControllerManager(
  ctx: ControllerContext,
  provider: CloudProviderName,
  only?: readonly string[],
): RunningComponent {
  const ours = { ...ctx, log: ctx.log.child('cloud-controller-manager') };
  return runControllers(cloudControllers(ours, provider), only);
}

/** The taints a new Node registers with while the provider has not yet initialized it. */
export function registrationTaints(provider: CloudProviderName) {
  return provider === 'none'
    ? []
    : [{ key: cloudTaints.uninitialized, value: 'true', effect: 'NoSchedule' as const }];
}
