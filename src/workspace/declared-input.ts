import { didYouMean } from "../diagnostics/suggest.js";
import type { AttributeType, PropertyType } from "../dsl/index.js";

/**
 * What exp.yaml declares about runtime input: the unit attributes an evaluation may be given and
 * the events (with their property types) that may be tracked. `exp assign` and `exp serve` check
 * what they receive against it with the functions below, so that both refuse the same input with
 * the same words.
 */
export interface Declarations {
  attributes: Record<string, AttributeType>;
  events: Record<string, Record<string, PropertyType>>;
}

/** Why an input breaks the declarations, with a did-you-mean or the list of declared names. */
export interface InputProblem {
  message: string;
  suggestion?: string;
}

/** The first attribute of `attrs` that exp.yaml does not declare, or whose JSON value has the wrong type. */
export function attributesProblem(attrs: Record<string, unknown>, declared: Record<string, AttributeType>): InputProblem | undefined {
  for (const [name, value] of Object.entries(attrs)) {
    if (!Object.hasOwn(declared, name)) return unknownName("attribute", name, Object.keys(declared));
    const problem = valueProblem(value, declared[name]!);
    if (problem)
      return { message: `attribute "${name}" is ${problem.expected}, but got ${JSON.stringify(value)}`, suggestion: problem.hint };
  }
  return undefined;
}

/** Why an event named `name` with `properties` is not one exp.yaml declares, or undefined when it is. */
export function eventProblem(
  name: string,
  properties: Record<string, unknown> | null | undefined,
  events: Declarations["events"],
): InputProblem | undefined {
  if (!Object.hasOwn(events, name)) return unknownName("event", name, Object.keys(events));
  const declared = events[name]!;
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (!Object.hasOwn(declared, key)) {
      const known = Object.keys(declared);
      return {
        message: `the event "${name}" declares no property "${key}"`,
        suggestion:
          didYouMean(key, known) ??
          (known.length > 0 ? `declared properties: ${known.join(", ")}` : `declare it under events.${name} in exp.yaml`),
      };
    }
    const problem = valueProblem(value, declared[key]!);
    if (problem)
      return {
        message: `property "${key}" of the event "${name}" is ${problem.expected}, but got ${JSON.stringify(value)}`,
        suggestion: problem.hint,
      };
  }
  return undefined;
}

/** A declared name that is not there: the closest declared one, else the whole list. */
export function unknownName(kind: "attribute" | "event", name: string, known: string[]): InputProblem {
  return {
    message: `unknown ${kind} "${name}"`,
    suggestion:
      didYouMean(name, known) ?? (known.length > 0 ? `declared ${kind}s: ${known.join(", ")}` : `declare it under ${kind}s in exp.yaml`),
  };
}

/**
 * What a JSON value of `type` should have been, when it is not; null counts as not given. A date is
 * a string Date.parse reads; a semver is any string, as the evaluator compares what it can parse.
 */
export function valueProblem(value: unknown, type: AttributeType | PropertyType): { expected: string; hint?: string } | undefined {
  if (value === null) return undefined;
  if (typeof type === "object") {
    if (typeof value === "string" && type.enum.includes(value)) return undefined;
    return { expected: `one of ${type.enum.join(", ")}`, hint: typeof value === "string" ? didYouMean(value, type.enum) : undefined };
  }
  switch (type) {
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? undefined : { expected: "a number" };
    case "boolean":
      return typeof value === "boolean" ? undefined : { expected: "a boolean", hint: "use true or false" };
    case "date":
      return typeof value === "string" && !Number.isNaN(Date.parse(value))
        ? undefined
        : { expected: "a date", hint: "use an ISO date such as 2026-12-01" };
    default:
      return typeof value === "string" ? undefined : { expected: "a string" };
  }
}
