// The seam between the cloud controllers and the infrastructure they describe, shaped like
// k8s.io/cloud-provider's Interface: InstancesV2 (does this machine exist, is it shut down, what
// is it) and LoadBalancer (get, ensure, update, delete the balancer of a Service). The controllers
// (cloud-node-controller.ts, service-lb-controller.ts) only call these; a provider for another
// infrastructure implements the same interface. The built-in one is `site` (site-provider.ts).
import type { KubeObject } from '../../api/types.js';

/** cloud-provider's InstanceMetadata. */
export interface InstanceMetadata {
  /** `<provider>://<...>`; spec.providerID of the Node. */
  providerID: string;
  /** node.kubernetes.io/instance-type; '' when unknown. */
  instanceType: string;
  /** Addresses the infrastructure knows of; empty keeps what the gateway reported. */
  nodeAddresses: { type: string; address: string }[];
  zone: string;
  region: string;
  /** Further labels the infrastructure gives the Node (the site's own labels). */
  additionalLabels: Record<string, string>;
}

/** cloud-provider's InstancesV2. A Node the provider has never heard of "exists" unless it says otherwise. */
export interface Instances {
  /** False: the machine is gone for good, and its Node (with its pods) is deleted. */
  instanceExists(node: KubeObject): Promise<boolean>;
  /** True: the machine is switched off; its Node gets the shutdown taint. */
  instanceShutdown(node: KubeObject): Promise<boolean>;
  /** Undefined: the provider has nothing to say about this Node (not in its inventory). */
  instanceMetadata(node: KubeObject): Promise<InstanceMetadata | undefined>;
}

/** v1 LoadBalancerStatus. */
export interface LoadBalancerStatus {
  ingress: { ip: string; ipMode?: 'VIP' | 'Proxy' }[];
}

/** What ensuring a balancer did, for the Service's status and events. */
export interface EnsuredLoadBalancer {
  status: LoadBalancerStatus;
  /** Further metadata the Service carries for those who realise the balancer (annotations). */
  annotations: Record<string, string>;
  /** A Normal event describing the result (EnsuredLoadBalancer in kube's words). */
  message: string;
}

/** The balancer cannot be built now (no free address, …); the Service stays pending with an event. */
export class LoadBalancerPending extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** cloud-provider's LoadBalancer; `nodes` are the Nodes that may carry the Service's traffic. */
export interface LoadBalancer {
  getLoadBalancer(service: KubeObject): Promise<{ status: LoadBalancerStatus; exists: boolean }>;
  getLoadBalancerName(service: KubeObject): string;
  /** Creates or converges the balancer; throws LoadBalancerPending when it cannot be built now. */
  ensureLoadBalancer(service: KubeObject, nodes: KubeObject[]): Promise<EnsuredLoadBalancer>;
  updateLoadBalancer(service: KubeObject, nodes: KubeObject[]): Promise<void>;
  ensureLoadBalancerDeleted(service: KubeObject): Promise<void>;
}

export interface CloudProvider {
  readonly name: string;
  /** The loadBalancerClass this provider serves besides the default (unset) class. */
  readonly loadBalancerClass: string;
  instances(): Instances | undefined;
  loadBalancer(): LoadBalancer | undefined;
}

/** Well-known names of k8s.io/cloud-provider (api/well_known_taints.go and labels). */
export const cloudTaints = {
  uninitialized: 'node.cloudprovider.kubernetes.io/uninitialized',
  shutdown: 'node.cloudprovider.kubernetes.io/shutdown',
} as const;

export const cloudLabels = {
  region: 'topology.kubernetes.io/region',
  zone: 'topology.kubernetes.io/zone',
  instanceType: 'node.kubernetes.io/instance-type',
  excludeFromLoadBalancers: 'node.kubernetes.io/exclude-from-external-load-balancers',
} as const;

export const cloudProviderNames = ['site', 'none'] as const;
export type CloudProviderName = (typeof cloudProviderNames)[number];
