// JSON text of stored objects, computed once per object version. Objects from the store are
// deep-frozen and replaced (not changed) on every write, so an object's text can be cached
// against the object itself: a LIST of 10k pods or an event fanned out to 100 watchers then
// serialises each object once instead of once per request or per watcher.
const cache = new WeakMap<object, string>();

export function objectJson(obj: object): string {
  let text = cache.get(obj);
  if (text === undefined) {
    text = JSON.stringify(obj);
    if (Object.isFrozen(obj)) cache.set(obj, text);
  }
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
