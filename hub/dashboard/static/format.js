// How the page words times, quantities and states. Pure functions of objects and the clock.

/** `DOM element` with text-only children: data never becomes markup. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  }
  return node;
}

export function ago(ms, now = Date.now()) {
  if (ms === undefined || Number.isNaN(ms)) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.floor(s / 60)}m ago`;
  if (s < 172800) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export const readyCondition = (obj) => (obj.status?.conditions ?? []).find((c) => c.type === 'Ready');

/**
 * A gateway is online while the hub hears it: its Ready condition is True or False (the hub
 * turns it Unknown when the MQTT session drops or it falls silent for the grace period).
 */
export function gatewayState(node) {
  const ready = readyCondition(node);
  if (!ready || ready.status === 'Unknown') return 'offline';
  return ready.status === 'True' ? 'online' : 'not ready';
}

/**
 * When the hub last heard the gateway: now while it is online; for an offline one the later of
 * its Lease's renewTime (its last heartbeat) and the moment the hub marked it unreachable.
 */
export function lastSeen(node, lease) {
  if (gatewayState(node) !== 'offline') return Date.now();
  const times = [lease?.spec?.renewTime, readyCondition(node)?.lastTransitionTime]
    .map((t) => (t ? Date.parse(t) : Number.NaN))
    .filter((t) => !Number.isNaN(t));
  return times.length ? Math.max(...times) : undefined;
}

/** CPU in cores, memory in bytes, from Kubernetes quantities (enough of them for display). */
const suffixes = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};
export function quantity(text) {
  if (text === undefined) return undefined;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(text));
  if (!m) return undefined;
  return Number(m[1]) * (suffixes[m[2]] ?? 1);
}

export function cores(n) {
  return n === undefined ? '' : n < 1 ? `${Math.round(n * 1000)}m` : `${Math.round(n * 100) / 100}`;
}

export function bytes(n) {
  if (n === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${Math.round(n * 10) / 10} ${units[i]}`;
}

/** "used / capacity" when the metrics API answers, the capacity alone when it does not. */
export function usage(used, capacity, show) {
  if (capacity === undefined) return '';
  return used === undefined ? show(capacity) : `${show(used)} / ${show(capacity)}`;
}

/**
 * Puts `rows` in the table body, keeping each row already there that is unchanged (same key in
 * `keyAttribute`, same cells): a redraw every second must not swap rows under a person's click
 * or text selection.
 */
export function syncRows(tbody, rows, keyAttribute) {
  const before = new Map([...tbody.children].map((row) => [row.getAttribute(keyAttribute), row]));
  const next = rows.map((row) => {
    const old = before.get(row.getAttribute(keyAttribute));
    return old?.isEqualNode(row) ? old : row;
  });
  const unchanged =
    next.length === tbody.children.length && next.every((row, i) => tbody.children[i] === row);
  if (!unchanged) tbody.replaceChildren(...next);
}
