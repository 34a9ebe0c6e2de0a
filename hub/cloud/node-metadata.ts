// What the site inventory says about one gateway, and what its Node must look like for it (pure):
// providerID flotilla://<site>/<node>, region and zone labels, the instance type from the hardware
// model the gateway reports, the site's own labels, and which cloud taints it carries.
import type { Taint } from '../../api/core-v1.js';
import type { Site } from '../../api/site-inventory.js';
import type { KubeObject } from '../../api/types.js';
import { hardwareModelAnnotation } from '../edge-sync/register-node.js';
import { cloudLabels, cloudTaints, type InstanceMetadata } from './cloud-provider.js';

export const siteProviderScheme = 'flotilla';

export function siteProviderID(site: string, node: string): string {
  return `${siteProviderScheme}://${site}/${node}`;
}

/**
 * A hardware model as a label value (63 characters of [A-Za-z0-9._-], alphanumeric at both
 * ends): `Raspberry Pi 4 Model B Rev 1.4` → `Raspberry-Pi-4-Model-B-Rev-1.4`; '' when nothing is left.
 */
export function instanceTypeOf(model: string | undefined): string {
  const dashed = (model ?? '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, 63);
  return dashed.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

export function siteInstanceMetadata(site: Site, node: KubeObject): InstanceMetadata {
  const name = node.metadata.name!;
  return {
    providerID: siteProviderID(site.metadata.name!, name),
    instanceType: instanceTypeOf(node.metadata.annotations?.[hardwareModelAnnotation]),
    nodeAddresses: [],
    region: site.spec?.region ?? '',
    zone: site.spec?.zone ?? '',
    additionalLabels: { ...(site.spec?.labels ?? {}) },
  };
}

/** The labels the metadata sets on the Node (empty values are not set). */
export function metadataLabels(metadata: InstanceMetadata): Record<string, string> {
  const labels: Record<string, string> = { ...metadata.additionalLabels };
  const known: [string, string][] = [
    [cloudLabels.region, metadata.region],
    [cloudLabels.zone, metadata.zone],
    [cloudLabels.instanceType, metadata.instanceType],
  ];
  for (const [key, value] of known) if (value) labels[key] = value;
  return labels;
}

export interface NodeChanges {
  providerID?: string;
  labels: Record<string, string>;
  taints: Taint[];
}

/**
 * The Node as the cloud node controller leaves it: initialized (no uninitialized taint, ever,
 * once the provider has been asked), with the metadata's labels and providerID (a providerID set
 * by someone else stays: it is immutable in Kubernetes), and the shutdown taint exactly while the
 * machine is shut down. Undefined when the Node already looks so.
 */
export function initializedNode(
  node: KubeObject,
  metadata: InstanceMetadata | undefined,
  shutdown: boolean,
): NodeChanges | undefined {
  const spec = (node.spec ?? {}) as { providerID?: string; taints?: Taint[] };
  const taints = (spec.taints ?? []).filter(
    (t) => t.key !== cloudTaints.uninitialized && t.key !== cloudTaints.shutdown,
  );
  if (shutdown) taints.push({ key: cloudTaints.shutdown, effect: 'NoSchedule' });
  const labels = { ...(node.metadata.labels ?? {}), ...(metadata ? metadataLabels(metadata) : {}) };
  const providerID = spec.providerID || metadata?.providerID;
  const sameTaints = JSON.stringify(taints) === JSON.stringify(spec.taints ?? []);
  const sameLabels = JSON.stringify(labels) === JSON.stringify(node.metadata.labels ?? {});
  if (sameTaints && sameLabels && providerID === spec.providerID) return undefined;
  return { ...(providerID ? { providerID } : {}), labels, taints };
}
