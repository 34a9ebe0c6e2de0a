// flotilla.io/v1alpha1 Site, the site inventory of the built-in cloud provider (hub/cloud/).
import {
  apiSchemaName,
  kindSchema,
  listKindSchema,
  listOf,
  metaName,
  object,
  ref,
  type SchemaTable,
  str,
  stringMap,
} from './schema-builders.js';

const gvk = { group: 'flotilla.io', version: 'v1alpha1', kind: 'Site' };
const siteName = (kind: string) => apiSchemaName(gvk.group, gvk.version, kind);
const names = (description: string) => listOf(str(), description);

export const siteSchemas: SchemaTable = {
  [siteName('Site')]: kindSchema(
    gvk,
    {
      spec: object({
        region: str("topology.kubernetes.io/region of the site's gateways."),
        zone: str("topology.kubernetes.io/zone of the site's gateways."),
        networks: names('The plant networks (IPv4 CIDRs) the gateways of the site share at layer 2.'),
        gateways: object(
          {
            names: names('Gateways (node names) of the site.'),
            selector: ref(metaName('LabelSelector'), 'Gateways whose labels match are in the site too.'),
          },
          { description: 'Which gateways make up the site.' },
        ),
        labels: stringMap('Labels every gateway of the site gets.'),
        addressPools: listOf(
          object({
            name: str('Name of the pool.'),
            addresses: names('IPv4 CIDRs, single addresses or ranges first-last, inside spec.networks.'),
          }),
          'Addresses for LoadBalancer Services of the site, announced by its gateways.',
        ),
        decommissioned: names('Gateways taken out of service: their Nodes are deleted.'),
        poweredOff: names('Gateways switched off: their Nodes get the shutdown taint.'),
      }),
    },
    'Site is one place of the fleet (a plant, a hall): its gateways, networks and address pools.',
  ),
  [siteName('SiteList')]: listKindSchema(gvk),
};
