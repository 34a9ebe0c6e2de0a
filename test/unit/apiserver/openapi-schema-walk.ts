// Test helper: walks an OpenAPI v3 document's component schemas the way kubectl's
// strategic-merge-patch lookup does (resolving $ref and allOf, descending into array items).
type Json = Record<string, unknown>;

export function resolve(document: Json, schema: Json | undefined): Json | undefined {
  let current = schema;
  for (let hops = 0; current && hops < 10; hops++) {
    const allOf = current.allOf as Json[] | undefined;
    const target = (allOf?.[0] ?? current).$ref as string | undefined;
    if (!target) return current;
    const name = target.replace('#/components/schemas/', '');
    current = ((document.components as Json).schemas as Record<string, Json>)[name];
  }
  return current;
}

/** The (unresolved) property schema at a dotted path; list elements add no segment. */
export function schemaAt(document: Json, root: Json, path: string): Json | undefined {
  let current: Json | undefined = root;
  let property: Json | undefined;
  for (const segment of path.split('.')) {
    let container = resolve(document, current);
    if (container?.type === 'array') container = resolve(document, container.items as Json);
    property = (container?.properties as Record<string, Json> | undefined)?.[segment];
    if (!property) return undefined;
    current = property;
  }
  return property;
}

/** Every property path below a schema whose schema carries a patch strategy. */
export function patchStrategyPaths(
  document: Json,
  root: Json,
  prefix = '',
  seen: Set<Json> = new Set(),
): Map<string, Json> {
  const found = new Map<string, Json>();
  let schema = resolve(document, root);
  if (schema?.type === 'array') schema = resolve(document, schema.items as Json);
  if (!schema || seen.has(schema)) return found;
  const visited = new Set(seen).add(schema);
  for (const [name, property] of Object.entries((schema.properties as Record<string, Json>) ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (property['x-kubernetes-patch-strategy']) found.set(path, property);
    for (const [below, value] of patchStrategyPaths(document, property, path, visited))
      found.set(below, value);
  }
  return found;
}
