import type { PropertyType } from "../declarations.js";
import { own } from "./own.js";

/**
 * What bare names mean. In targeting and segments they are unit attributes; inside an aggregate's
 * `where` they are properties of that event, plus the exposure clocks and the `value` column.
 */
export type NameScope = { kind: "unit" } | { kind: "event"; event: string; properties: Record<string, PropertyType> };

/** Names every event filter can use besides the declared properties (all numbers). */
export const EVENT_BUILTINS: Record<string, PropertyType> = {
  days_since_exposure: "number",
  hours_since_exposure: "number",
  value: "number",
};

export function eventNames(scope: Extract<NameScope, { kind: "event" }>): string[] {
  return [...Object.keys(scope.properties), ...Object.keys(EVENT_BUILTINS)];
}

export function eventPropertyType(scope: Extract<NameScope, { kind: "event" }>, name: string): PropertyType | undefined {
  return own(scope.properties, name) ?? own(EVENT_BUILTINS, name);
}
