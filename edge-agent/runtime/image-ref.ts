// Image references the way CRI (containerd's docker reference parser) normalises them:
// `busybox` → docker.io/library/busybox:latest, `x/y:1` → docker.io/x/y:1. ctr does not
// normalise (firmware-notes/host-runtime.md §1, pitfall 3), so imported images must already be fully qualified.

/** A first path component is a registry host when it has a dot or a port, or is localhost. */
function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

export function normalizeImageRef(ref: string): string {
  if (ref.startsWith('sha256:')) return ref;
  const slash = ref.indexOf('/');
  const first = slash === -1 ? '' : ref.slice(0, slash);
  let named: string;
  if (slash !== -1 && isRegistryHost(first)) named = ref;
  else if (slash === -1) named = `docker.io/library/${ref}`;
  else named = `docker.io/${ref}`;
  const lastPart = named.slice(named.lastIndexOf('/') + 1);
  if (named.includes('@') || lastPart.includes(':')) return named;
  return `${named}:latest`;
}
