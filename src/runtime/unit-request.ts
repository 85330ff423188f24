/**
 * The field names of a request to evaluate for one unit. `exp serve` named them `userId` and
 * `context`, `exp assign --batch` named them `unit` and `attributes`; both accept either spelling
 * (docs/http-api.md, docs/cli.md), so that one NDJSON line can be posted or piped as it is.
 */
export const UNIT_FIELDS = ["userId", "unit"] as const;
export const ATTRIBUTE_FIELDS = ["context", "attributes"] as const;

/** The field of `o` that one of `names` holds (absent or null counts as not given); a problem when two are given. */
export function eitherField(o: Record<string, unknown>, names: readonly string[]): { name: string; value: unknown } | { problem: string } {
  // A loop rather than a filter: every evaluation request comes through here twice.
  let name: string | undefined;
  for (const n of names) {
    if (!given(o, n)) continue;
    if (name !== undefined)
      return {
        problem: `give only one of ${names
          .filter((m) => given(o, m))
          .map((m) => `"${m}"`)
          .join(" and ")}`,
      };
    name = n;
  }
  name ??= names[0]!;
  return { name, value: o[name] };
}

const given = (o: Record<string, unknown>, name: string) => o[name] !== undefined && o[name] !== null && Object.hasOwn(o, name);
