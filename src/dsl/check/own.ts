/**
 * A table's entry for a name the user wrote, or undefined. Names come from expressions (attributes,
 * events, properties, functions), so `constructor` or `__proto__` must find nothing unless declared,
 * whatever the table's prototype.
 */
export function own<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
