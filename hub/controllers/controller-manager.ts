// The controller manager (kube-controller-manager's role): starts its controllers inside the hub
// process on the hub's shared informers. hub/main.ts starts it next to the scheduler and the cloud
// controller manager, components of their own as in Kubernetes.
import type { CloudProviderName } from '../cloud/cloud-provider.js';
import { TokenCleaner } from './bootstrap/token-cleaner.js';
import { CronJobController } from './cronjob/cronjob-controller.js';
import { CustomResourceDefinitionController } from './customresourcedefinition/crd-controller.js';
import { DaemonSetController } from './daemonset/daemonset-controller.js';
import { DeploymentController } from './deployment/deployment-controller.js';
import { EndpointsController } from './endpoints/endpoints-controller.js';
import { EndpointSliceController } from './endpoints/endpointslice-controller.js';
import { EventTTLController } from './events/event-ttl-controller.js';
import { GarbageCollector } from './garbage-collector/garbage-collector.js';
import { JobController } from './job/job-controller.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { NodeIpamController } from './node-ipam/node-ipam-controller.js';
import { NodeLifecycleController } from './node-lifecycle/node-lifecycle-controller.js';
import { PodGCController } from './node-lifecycle/pod-gc-controller.js';
import { TaintEvictionController } from './node-lifecycle/taint-eviction-controller.js';
import { ClusterRoleAggregationController } from './rbac/clusterrole-aggregation.js';
import { ReplicaSetController } from './replicaset/replicaset-controller.js';
import { replicationControllers } from './replicaset/replicated-kinds.js';
import {
  type Controller,
  type ControllerContext,
  type RunningComponent,
  runControllers,
} from './runtime/controller.js';
import { defaultServiceAccountsController } from './serviceaccount/default-service-accounts.js';
import { rootCaPublisher } from './serviceaccount/root-ca-publisher.js';
import { StatefulSetController } from './statefulset/statefulset-controller.js';
import { PersistentVolumeController } from './volume/persistent-volume-controller.js';

export interface ControllerOptions {
  /** Pod CIDR of the cluster, split into one range per node (default 10.42.0.0/16). */
  clusterCIDR?: string | undefined;
  /** Prefix length of each node's pod CIDR (default 24). */
  nodeCIDRMaskSize?: number | undefined;
  /** How long a silent node stays Ready before it becomes Unknown (default 40 s). */
  nodeMonitorGracePeriodMs?: number | undefined;
  nodeStartupGracePeriodMs?: number | undefined;
  /** How long Events are kept after their last write (default 1 h, kube-apiserver's --event-ttl). */
  eventTTLMs?: number | undefined;
  /** The cloud controller manager's provider (`--cloud-provider`); `none` when unset. */
  cloudProvider?: CloudProviderName | undefined;
  /** The CA bundle that verifies the API's certificate, published as kube-root-ca.crt; none: not published. */
  rootCaPem?: string | undefined;
  /**
   * Run only the controllers with these names, the scheduler's and the cloud controllers' too
   * (tests that drive some controllers themselves).
   */
  only?: string[] | undefined;
}

/**
 * The controllers that give every namespace what pods need before they can be created (the
 * `default` ServiceAccount the admission looks up, the CA bundle their token volume reads).
 */
export const namespaceDefaultControllers = ['serviceaccount', 'root-ca-cert-publisher'];

/** kube-controller-manager's controllers, in start order. */
const controllerFactories: ((ctx: ControllerContext, o: ControllerOptions) => Controller | undefined)[] = [
  (ctx) => new NamespaceController(ctx),
  (ctx) => new CustomResourceDefinitionController(ctx),
  (ctx, o) =>
    new NodeIpamController(ctx, { clusterCIDR: o.clusterCIDR, nodeCIDRMaskSize: o.nodeCIDRMaskSize }),
  (ctx, o) =>
    new NodeLifecycleController(ctx, {
      nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriodMs,
      nodeStartupGracePeriodMs: o.nodeStartupGracePeriodMs,
    }),
  (ctx) => new TaintEvictionController(ctx),
  (ctx) => new PodGCController(ctx),
  (ctx) => new ReplicaSetController(ctx),
  (ctx) => new ReplicaSetController(ctx, replicationControllers),
  (ctx) => new DeploymentController(ctx),
  (ctx) => new DaemonSetController(ctx),
  (ctx) => new StatefulSetController(ctx),
  (ctx) => new PersistentVolumeController(ctx),
  (ctx) => new JobController(ctx),
  (ctx) => new CronJobController(ctx),
  (ctx) => new EndpointsController(ctx),
  (ctx) => new EndpointSliceController(ctx),
  (ctx) => new GarbageCollector(ctx),
  (ctx, o) => new EventTTLController(ctx, { ttlMs: o.eventTTLMs }),
  (ctx) => new TokenCleaner(ctx),
  (ctx) => new ClusterRoleAggregationController(ctx),
  (ctx) => defaultServiceAccountsController(ctx),
  (ctx, o) => (o.rootCaPem ? rootCaPublisher(ctx, o.rootCaPem) : undefined),
];

export function startControllerManager(
  context: ControllerContext,
  options: ControllerOptions = {},
): RunningComponent {
  // Each controller logs as controller-manager/<its name>.
  const ours = { ...context, log: context.log.child('controller-manager') };
  const controllers = controllerFactories
    .map((make) => make(ours, options))
    .filter((controller): controller is Controller => controller !== undefined);
  return runControllers(controllers, options.only);
}
