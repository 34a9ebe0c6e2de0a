// Site (flotilla.io/v1alpha1, cluster-scoped): the site inventory the built-in `site` cloud
// provider reads (hub/cloud/). A kind of the hub's own rather than a ConfigMap, so each site is
// validated on its own and against the others when it is written (422 naming the field), and
// kubectl get/apply/edit work on it like on any other kind.
import { siteGroup, siteVersion } from '../../../api/site-inventory.js';
import { validateSite } from '../../../api/validation/site.js';
import { siteSchemas } from '../../apiserver/openapi/site-schemas.js';
import { siteHooks } from '../../apiserver/registry/site-hooks.js';
import { siteColumns, siteRow } from '../../apiserver/tables/site-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const siteKind: KindDefinition = {
  openapi: siteSchemas,
  info: resourceInfo({
    group: siteGroup,
    version: siteVersion,
    resource: 'sites',
    kind: 'Site',
    namespaced: false,
  }),
  printer: { columns: siteColumns, row: siteRow },
  validate: validateSite,
  hooks: ({ sites }) => siteHooks(sites),
};
