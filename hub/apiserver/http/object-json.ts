// JSON text of stored objects, kept per object version once it is asked for a second time.
// Objects from the store are deep-frozen and replaced (not changed) on every write, so an
// object's text can be cached against the object itself: a LIST of 10k pods or an event fanned
// out to 100 watchers then serialises each object once or twice instead of once per request or
// per watcher. Text served only once (a single watcher of a busy pod) is not kept: 2 KB per pod,
// 200 MB at 100,000 pods.
const cache = new WeakMap<object, string>();
const servedOnce = new WeakSet<object>();

export function objectJson(obj: object): string {
  const cached = cache.get(obj);
  if (cached !== undefined) return cached;
  const text = JSON.stringify(obj);
  if (!Object.isFrozen(obj)) return text;
  if (servedOnce.has(obj)) cache.set(obj, text);
  else servedOnce.add(obj);
  return text;
}

/** A `<Kind>List` body assembled from the items' cached text. */
export function listJson(
  head: { apiVersion: string; kind: string; metadata: object },
  items: readonly object[],
): string {
  return withJsonFields(head, { items: `[${items.map(objectJson).join(',')}]` });
}

/** `head` as JSON with more fields after its own, each given as JSON text already. */
export function withJsonFields(head: object, fields: Record<string, string>): string {
  const headText = JSON.stringify(head);
  const extra = Object.entries(fields).map(([name, text]) => `${JSON.stringify(name)}:${text}`);
  return `${headText.slice(0, -1)}${headText === '{}' ? '' : ','}${extra.join(',')}}`;
}

/** One line of a watch stream. */
export function watchEventJson(type: string, obj: object): string {
  return `{"type":"${type}","object":${objectJson(obj)}}\n`;
}
