/**
 * The field names of a request to evaluate for one unit. `exp serve` named them `userId` and
 * `context`, `exp assign --batch` named them `unit` and `attributes`; both accept either spelling
 * (docs/http-api.md, docs/cli.md), so that one NDJSON line can be posted or piped as it is.
 */
export const UNIT_FIELDS = ["userId", "unit"] as const;
export const ATTRIBUTE_FIELDS = ["context", "attributes"] as const;

/** The field of `o` that one of `names` holds (absent or null counts as not given); a problem when two are given. */
export function eitherField(o: Record<string, unknown>, names: readonly string[]): { name: string; value: unknown } | { problem: string } {
  const given = names.filter((n) => Object.hasOwn(o, n) && o[n] !== undefined && o[n] !== null);
  if (given.length > 1) return { problem: `give only one of ${given.map((n) => `"${n}"`).join(" and ")}` };
  const name = given[0] ?? names[0]!;
  return { name, value: o[name] };
}
