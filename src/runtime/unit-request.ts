// The field names of a request to evaluate for one unit. `exp serve` named them `userId` and
// `context`, `exp assign --batch` named them `unit` and `attributes`; both accept either spelling
// (docs/http-api.md, docs/cli.md), so that one NDJSON line can be posted or piped as it is.

/** The field a request gave, by the name it used; or why it cannot be read. */
export type FieldOf = { name: string; value: unknown } | { problem: string };

/** The unit: `userId` or `unit`. */
export const unitField = (o: Record<string, unknown>): FieldOf => either(o, "userId", o.userId, "unit", o.unit);

/** The unit's attributes: `context` or `attributes`. */
export const attributesField = (o: Record<string, unknown>): FieldOf => either(o, "context", o.context, "attributes", o.attributes);

/**
 * Which of two spellings of a field `o` holds (absent, null or inherited counts as not given): the
 * first when neither is; a problem when both are. The callers read the two values by name, since
 * every evaluation request comes through here twice and a read by a computed name is slower.
 */
function either(o: Record<string, unknown>, first: string, firstValue: unknown, second: string, secondValue: unknown): FieldOf {
  const hasFirst = firstValue !== undefined && firstValue !== null && Object.hasOwn(o, first);
  const hasSecond = secondValue !== undefined && secondValue !== null && Object.hasOwn(o, second);
  if (hasFirst && hasSecond) return { problem: `give only one of "${first}" and "${second}"` };
  return hasSecond ? { name: second, value: secondValue } : { name: first, value: firstValue };
}
