// The service controller of the cloud controller manager: every `type: LoadBalancer` Service of
// the provider's class (no spec.loadBalancerClass, or the provider's own) gets a balancer from
// the provider; its address goes to status.loadBalancer.ingress (written last), what realises it
// to annotations, and what happened to events (EnsuringLoadBalancer, EnsuredLoadBalancer, or the
// reason it stays pending). Services of another class are left to their controller. A Service no
// longer of type LoadBalancer loses its ingress and announcers (DeletedLoadBalancer); a deleted one
// frees its address by being gone. Nodes labelled exclude-from-external-load-balancers, shut down,
// or being deleted never carry load-balancer traffic.
import type { KubeObject } from '../../api/types.js';
import { EventRecorder } from '../client/event-recorder.js';
import { objectKey, splitKey } from '../client/informer.js';
import { ignoreNotFound } from '../controllers/objects/api-writes.js';
import type { ControllerContext } from '../controllers/runtime/controller.js';
import { ReconcilingController, type Watch } from '../controllers/runtime/reconciling-controller.js';
import { cloudLabels, cloudTaints, type EnsuredLoadBalancer, LoadBalancerPending } from './cloud-provider.js';
import { heldAddresses, lbAnnotations } from './load-balancer-plan.js';
import { type SiteProvider, siteResource } from './site-provider.js';

const services = { group: '', resource: 'services' };
const nodes = { group: '', resource: 'nodes' };
const slices = { group: 'discovery.k8s.io', resource: 'endpointslices' };

interface ServiceView {
  spec?: { type?: string; loadBalancerClass?: string };
  status?: { loadBalancer?: { ingress?: unknown[] } };
}

/** Nodes that may carry load-balancer traffic (kube's service controller's node predicates). */
export function loadBalancerNodes(all: readonly KubeObject[]): KubeObject[] {
  return all.filter((node) => {
    if (node.metadata.deletionTimestamp) return false;
    if (node.metadata.labels?.[cloudLabels.excludeFromLoadBalancers] !== undefined) return false;
    const taints = ((node.spec as { taints?: { key: string }[] } | undefined)?.taints ?? []).map(
      (t) => t.key,
    );
    return !taints.includes(cloudTaints.shutdown);
  });
}

export class ServiceLoadBalancerController extends ReconcilingController {
  private readonly events: EventRecorder;

  constructor(
    ctx: ControllerContext,
    private readonly provider: SiteProvider,
  ) {
    super(ctx, { name: 'service-lb', failures: { component: 'service load balancer', resource: services } });
    this.events = new EventRecorder(ctx.registry, ctx.clock, ctx.log, 'service-controller');
  }

  protected watches(): Watch[] {
    const serviceKeys = (which: (svc: ServiceView) => boolean) => () =>
      this.ctx.informers
        .for(services)
        .list()
        .filter((svc) => which(svc as ServiceView))
        .map(objectKey);
    const everyBalancer = serviceKeys((svc) => svc.spec?.type === 'LoadBalancer');
    const nodeChanged = (node: KubeObject, old: KubeObject | undefined) =>
      !old ||
      JSON.stringify([node.metadata.labels, node.spec, node.metadata.deletionTimestamp]) !==
        JSON.stringify([old.metadata.labels, old.spec, old.metadata.deletionTimestamp])
        ? everyBalancer()
        : undefined;
    return [
      { resource: services, on: ['add', 'update'] },
      // A Service gone frees its address: those still waiting for one get another go.
      {
        resource: services,
        on: ['delete'],
        keys: serviceKeys((svc) => this.ours(svc) && heldAddresses(svc as KubeObject).length === 0),
      },
      {
        resource: slices,
        keys: (slice) => {
          const name = slice.metadata.labels?.['kubernetes.io/service-name'];
          return name ? `${slice.metadata.namespace}/${name}` : undefined;
        },
      },
      { resource: nodes, on: ['add', 'update'], keys: nodeChanged },
      { resource: nodes, on: ['delete'], keys: everyBalancer },
      { resource: siteResource, keys: everyBalancer },
    ];
  }

  private ours(svc: ServiceView): boolean {
    const cls = svc.spec?.loadBalancerClass;
    return svc.spec?.type === 'LoadBalancer' && (!cls || cls === this.provider.loadBalancerClass);
  }

  async reconcile(key: string): Promise<undefined> {
    const svc = this.ctx.informers.for(services).get(key);
    if (!svc || svc.metadata.deletionTimestamp) return undefined;
    const view = svc as ServiceView;
    if (!this.ours(view)) {
      // Another class is another controller's; a Service that left type LoadBalancer is ours to clean.
      if (view.spec?.type !== 'LoadBalancer') await this.release(svc);
      return undefined;
    }
    const candidates = loadBalancerNodes(this.ctx.informers.for(nodes).list());
    let ensured: EnsuredLoadBalancer;
    try {
      ensured = await this.provider.loadBalancer().ensureLoadBalancer(svc, candidates);
    } catch (err) {
      if (!(err instanceof LoadBalancerPending)) throw err;
      await this.events.record(svc, 'Warning', err.reason, err.message);
      return undefined;
    }
    const ips = ensured.status.ingress.map((entry) => entry.ip);
    const sameAddress = JSON.stringify(heldAddresses(svc)) === JSON.stringify(ips);
    const annotations = { ...(svc.metadata.annotations ?? {}) };
    delete annotations[lbAnnotations.announcers];
    Object.assign(annotations, ensured.annotations);
    const sameAnnotations = JSON.stringify(annotations) === JSON.stringify(svc.metadata.annotations ?? {});
    if (sameAddress && sameAnnotations) return undefined;
    const { namespace, name } = splitKey(key);
    if (!sameAddress)
      await this.events.record(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    const store = this.ctx.registry.for(services);
    if (!sameAnnotations)
      await ignoreNotFound(
        store.modify(namespace, name, (latest) => ({
          ...latest,
          metadata: { ...latest.metadata, annotations: withAnnouncers(latest, ensured.annotations) },
        })),
      );
    if (!sameAddress) {
      this.provider.remember(svc, ips);
      await ignoreNotFound(
        store.modify(
          namespace,
          name,
          (latest) => ({ ...latest, status: { ...(latest.status ?? {}), loadBalancer: ensured.status } }),
          { subresource: 'status' },
        ),
      );
      await this.events.record(
        svc,
        'Normal',
        'EnsuredLoadBalancer',
        `Ensured load balancer: ${ensured.message}`,
      );
    }
    return undefined;
  }

  /** Clears what the controller wrote on a Service that is no longer a LoadBalancer. */
  private async release(svc: KubeObject): Promise<void> {
    const held = heldAddresses(svc).length > 0;
    const announced = svc.metadata.annotations?.[lbAnnotations.announcers] !== undefined;
    if (!held && !announced) return;
    const { namespace, name } = splitKey(objectKey(svc));
    const store = this.ctx.registry.for(services);
    if (announced)
      await ignoreNotFound(
        store.modify(namespace, name, (latest) => ({
          ...latest,
          metadata: { ...latest.metadata, annotations: withAnnouncers(latest, {}) },
        })),
      );
    if (held)
      await ignoreNotFound(
        store.modify(namespace, name, (latest) => ({ ...latest, status: { loadBalancer: {} } }), {
          subresource: 'status',
        }),
      );
    this.provider.remember(svc, []);
    await this.events.record(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
  }
}

function withAnnouncers(svc: KubeObject, wanted: Record<string, string>): Record<string, string> {
  const annotations = { ...(svc.metadata.annotations ?? {}) };
  delete annotations[lbAnnotations.announcers];
  return { ...annotations, ...wanted };
}
