// Which of a Node's labels its gateway may write. The keys the gateway set are listed in the
// annotation `flotilla.io/agent-labels`; a registration may change or remove those, add keys the
// Node does not have, and nothing else: a label an admin set (kubectl label node) is neither
// overwritten nor removed by it. As Kubernetes' NodeRestriction admission, keys under
// `node-restriction.kubernetes.io/` are the admin's alone. Pure.

export const agentLabelsAnnotation = 'flotilla.io/agent-labels';
const restrictedDomain = 'node-restriction.kubernetes.io';

function isRestricted(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const prefix = key.slice(0, slash);
  return prefix === restrictedDomain || prefix.endsWith(`.${restrictedDomain}`);
}

export interface RegisteredLabels {
  labels: Record<string, string>;
  /** The annotation's new value: the gateway's keys, sorted, comma-separated. */
  annotation: string;
  /** Keys the registration asked for and may not have. */
  refused: string[];
  changed: boolean;
}

export function parseAgentLabels(annotation: string | undefined): Set<string> {
  return new Set((annotation ?? '').split(',').filter((key) => key !== ''));
}

/** `current` labels after a registration asking for `requested`, given the keys it owned before. */
export function registeredLabels(
  current: Record<string, string>,
  ownedAnnotation: string | undefined,
  requested: Record<string, string>,
): RegisteredLabels {
  const owned = parseAgentLabels(ownedAnnotation);
  const labels = { ...current };
  const nowOwned = new Set<string>();
  const refused: string[] = [];
  let changed = false;
  for (const [key, value] of Object.entries(requested)) {
    const restricted = isRestricted(key);
    const adminSet = key in current && !owned.has(key);
    if (restricted || adminSet) {
      if (restricted || current[key] !== value) refused.push(key);
      continue;
    }
    nowOwned.add(key);
    if (labels[key] !== value) {
      labels[key] = value;
      changed = true;
    }
  }
  for (const key of owned) {
    if (nowOwned.has(key) || !(key in labels)) continue;
    delete labels[key];
    changed = true;
  }
  return { labels, annotation: [...nowOwned].sort().join(','), refused: refused.sort(), changed };
}
