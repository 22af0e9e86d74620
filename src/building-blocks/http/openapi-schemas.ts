import type { Json } from './openapi-json.ts';

const PREFIX = '#/components/schemas/';

/**
 * Keeps only the component schemas the document references, and names them once: the Zod
 * provider registers every schema with an id twice (`Project` for responses, `ProjectInput`
 * for requests), so a schema used one way only keeps its plain name.
 */
export function pruneSchemas(document: Json): Json {
  const schemas: Json = document.components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(PREFIX)) {
        const name = value.slice(PREFIX.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  visit(document.paths);

  const renames = new Map<string, string>();
  for (const name of used) {
    const plain = name.replace(/Input$/, '');
    if (plain !== name && !used.has(plain)) renames.set(name, plain);
  }
  const kept: Json = {};
  for (const name of [...used].sort()) kept[renames.get(name) ?? name] = schemas[name];
  document.components.schemas = kept;
  if (renames.size === 0) return document;
  return JSON.parse(JSON.stringify(document), (key, value) =>
    key === '$ref' && typeof value === 'string' && renames.has(value.slice(PREFIX.length))
      ? PREFIX + renames.get(value.slice(PREFIX.length))
      : value,
  );
}
