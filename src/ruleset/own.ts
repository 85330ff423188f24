/**
 * A key's own value in a ruleset map. Workspaces may name a segment, experiment or flag
 * "constructor" or "toString"; a plain `map[key]` would find what every object inherits.
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
