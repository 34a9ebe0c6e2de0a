// Sites: the checks across Sites (site-index.ts) around the generic write pipeline.
import type { KindHooks } from './kind-hooks.js';
import type { SiteIndex } from './site-index.js';

export function siteHooks(sites: SiteIndex): KindHooks {
  return {
    admitCreate: (site) => sites.admit(site),
    admitUpdate: (site) => sites.admit(site),
    afterDelete: (site) => sites.forget(site),
  };
}
