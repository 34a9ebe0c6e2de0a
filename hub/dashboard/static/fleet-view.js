// Sites, gateways and workloads, drawn from the followed collections on every change (and every
// second, so "last seen" keeps counting).
import { ago, bytes, cores, el, gatewayState, lastSeen, quantity, syncRows, usage } from './format.js';

export const siteLabel = 'flotilla.io/site';
export const zoneLabel = 'topology.kubernetes.io/zone';
const agentVersionAnnotation = 'flotilla.io/agent-version';

/** Gateways per site: how many are online of how many. */
export function drawSites(container, nodes) {
  const sites = new Map();
  for (const node of nodes) {
    const site = node.metadata.labels?.[siteLabel] ?? '(no site)';
    const counts = sites.get(site) ?? { online: 0, total: 0 };
    counts.total++;
    if (gatewayState(node) !== 'offline') counts.online++;
    sites.set(site, counts);
  }
  const cards = [...sites.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([site, c]) =>
      el(
        'div',
        { class: 'site-card', 'data-site': site },
        el('strong', {}, site),
        `${c.online} of ${c.total} gateways online`,
      ),
    );
  container.replaceChildren(...cards);
}

/**
 * One row per gateway. `fleet` holds leases (by node name), usage (from metrics.k8s.io, when
 * served) and the pods per node; `selected` is the gateway whose pods are shown.
 */
export function drawGateways(table, nodes, fleet, selected, select) {
  const rows = nodes
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .map((node) => {
      const name = node.metadata.name;
      const labels = node.metadata.labels ?? {};
      const state = gatewayState(node);
      const capacity = node.status?.capacity ?? {};
      const used = fleet.usage.get(name);
      const info = node.status?.nodeInfo ?? {};
      const agent = node.metadata.annotations?.[agentVersionAnnotation];
      const row = el(
        'tr',
        { 'data-node': name, class: `clickable${name === selected ? ' selected' : ''}` },
        el('td', { class: 'name' }, name),
        el('td', { class: 'site' }, labels[siteLabel] ?? ''),
        el('td', { class: 'zone' }, labels[zoneLabel] ?? ''),
        el('td', { class: `state state-${state.replace(' ', '')}` }, state),
        el(
          'td',
          { class: 'last-seen' },
          state === 'offline' ? ago(lastSeen(node, fleet.leases.get(name))) : 'now',
        ),
        el('td', { class: 'cpu' }, usage(quantity(used?.cpu), quantity(capacity.cpu), cores)),
        el('td', { class: 'memory' }, usage(quantity(used?.memory), quantity(capacity.memory), bytes)),
        el('td', { class: 'arch' }, labels['kubernetes.io/arch'] ?? info.architecture ?? ''),
        el(
          'td',
          { class: 'agent' },
          agent ? `${agent} (${info.kubeletVersion ?? '?'})` : (info.kubeletVersion ?? ''),
        ),
        el('td', { class: 'pods' }, String(fleet.podsOn(name).length)),
      );
      row.addEventListener('click', () => select(name));
      return row;
    });
  syncRows(table.tBodies[0], rows, 'data-node');
}

export function drawWorkloads(table, workloads) {
  const rows = workloads
    .sort((a, b) => `${a.namespace}/${a.kind}/${a.name}`.localeCompare(`${b.namespace}/${b.kind}/${b.name}`))
    .map((w) =>
      el(
        'tr',
        { 'data-workload': `${w.namespace}/${w.kind}/${w.name}` },
        el('td', {}, w.namespace),
        el('td', {}, w.kind),
        el('td', { class: 'name' }, w.name),
        el('td', { class: 'desired' }, String(w.desired)),
        el('td', { class: 'ready' }, String(w.ready)),
        el('td', { class: 'updated' }, String(w.updated)),
        el('td', { class: 'rollout' }, w.rollout),
      ),
    );
  syncRows(table.tBodies[0], rows, 'data-workload');
}
