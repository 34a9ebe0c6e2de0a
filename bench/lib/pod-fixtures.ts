// Pods the benchmark creates: the smallest valid Pod, so numbers reflect the API server's
// per-object cost rather than the size of a particular manifest.

export function aPod(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench' } },
    spec: { containers: [{ name: 'c', image: 'docker.io/local/busybox:1' }] },
  };
}

/** Fixed-width names, so key order matches creation order and every name has the same length. */
export function podName(prefix: string, seq: number): string {
  return `${prefix}-${String(seq).padStart(6, '0')}`;
}

export function namespacePath(namespace: string): string {
  return `/api/v1/namespaces/${namespace}/pods`;
}

export function aNamespace(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}
