import { diagnostic, type Span } from "../../diagnostics/diagnostic.js";
import { didYouMean } from "../../diagnostics/suggest.js";
import { SQL_CODES } from "./codes.js";
import type { SqlContext } from "./context.js";
import type { SqlType } from "./dialect.js";

/** Table aliases shared by the query blocks. */
export const EVENT_ALIAS = "e";
export const UNIT_ALIAS = "f";
export const FIRST_EXPOSURE = `${UNIT_ALIAS}.first_exposure`;

export function eventColumn(ctx: SqlContext, role: keyof SqlContext["eventColumns"]): string {
  return `${EVENT_ALIAS}.${ctx.eventColumns[role]}`;
}

const SQL_TYPES: Record<string, SqlType> = { number: "double", boolean: "boolean", date: "date", string: "string" };

/** Names usable inside `where` besides the event's properties. */
export const EXPOSURE_CLOCKS: Record<string, number> = { days_since_exposure: 86400, hours_since_exposure: 3600 };

/**
 * A property of an event as a SQL value: `value` is the value column; declared properties come
 * out of the properties JSON cast to their declared type; `days_since_exposure` and
 * `hours_since_exposure` are whole days (hours) since first exposure, rounded down, so that
 * "between 7 and 14" means the 8th to 15th day inclusive.
 */
export function propertySql(ctx: SqlContext, event: string, name: string, span: Span | undefined): string | undefined {
  if (name === "value") return eventColumn(ctx, "value");
  const clock = EXPOSURE_CLOCKS[name];
  if (clock !== undefined) return `FLOOR(${ctx.dialect.secondsBetween(FIRST_EXPOSURE, eventColumn(ctx, "ts"))} / ${clock})`;
  const props = ctx.settings.events[event] ?? {};
  const type = props[name];
  if (type === undefined || !Object.prototype.hasOwnProperty.call(props, name)) {
    const suggestion = didYouMean(name, [...Object.keys(props), "value", ...Object.keys(EXPOSURE_CLOCKS)]);
    ctx.diagnostics.push(
      diagnostic(
        SQL_CODES.unknownProperty,
        `The event "${event}" has no property "${name}"; declare it under events.${event} in exp.yaml.`,
        {
          span,
          suggestion,
        },
      ),
    );
    return undefined;
  }
  const text = ctx.dialect.jsonText(eventColumn(ctx, "properties"), name);
  const sqlType = SQL_TYPES[type] ?? "string";
  return sqlType === "string" ? text : ctx.dialect.tryCast(text, sqlType);
}

/** The event must be declared, so that its name and property types are known. */
export function checkEvent(ctx: SqlContext, event: string, span: Span | undefined): boolean {
  if (Object.prototype.hasOwnProperty.call(ctx.settings.events, event)) return true;
  ctx.diagnostics.push(
    diagnostic(SQL_CODES.unknownProperty, `The event "${event}" is not declared; add it under events in exp.yaml.`, {
      span,
      suggestion: didYouMean(event, Object.keys(ctx.settings.events)),
    }),
  );
  return false;
}
