import { didYouMean } from "../../../diagnostics/suggest.js";
import type { AggregateExpr, Expr } from "../../ast.js";
import { own } from "../own.js";
import { checkInScope } from "../condition.js";
import type { CheckContext } from "../context.js";
import type { MetricRule } from "./rule.js";

/** The event column every event has; `purchase.value` refers to it (docs/workspace.md), always a number. */
const VALUE_COLUMN = "value";

/**
 * Aggregates name declared events and properties of the right type:
 * sum/mean/min/max/pXX need a number property (or `value`); count_distinct needs a property of any type;
 * count and any count events, so they take none (filter with `where ... is not null` instead).
 */
export const AggregatesRule: MetricRule = {
  name: "aggregates",
  check(root, ctx) {
    forEachAggregate(root, (a) => checkAggregate(a, ctx));
  },
};

export function forEachAggregate(e: Expr, visit: (a: AggregateExpr) => void): void {
  switch (e.kind) {
    case "aggregate":
      visit(e);
      return;
    case "unary":
      forEachAggregate(e.operand, visit);
      return;
    case "binary":
      forEachAggregate(e.left, visit);
      forEachAggregate(e.right, visit);
      return;
    default:
      return;
  }
}

function checkAggregate(a: AggregateExpr, ctx: CheckContext): void {
  const properties = own(ctx.env.events, a.event);
  if (!properties) {
    ctx.report(
      "unknownEvent",
      `Unknown event "${a.event}"; declare it under "events" in exp.yaml`,
      a.eventSpan,
      didYouMean(a.event, Object.keys(ctx.env.events)),
    );
    return;
  }
  if (a.property !== undefined && a.propertySpan) {
    const type = a.property === VALUE_COLUMN ? "number" : own(properties, a.property);
    if (type === undefined) {
      ctx.report(
        "unknownProperty",
        `Unknown property "${a.property}" of event "${a.event}"; declare it under "events.${a.event}" in exp.yaml`,
        a.propertySpan,
        didYouMean(a.property, [...Object.keys(properties), VALUE_COLUMN]),
      );
    } else if (a.fn === "count" || a.fn === "any") {
      ctx.report(
        "aggregateForbidsProperty",
        `"${a.fn}" counts events and takes no property; write ${a.fn}(${a.event}), adding "where ${a.property} is not null" if that is the intent`,
        a.propertySpan,
      );
    } else if (a.fn !== "count_distinct" && type !== "number") {
      ctx.report(
        "aggregateNeedsNumber",
        `"${a.fn}" needs a number, but property "${a.property}" of event "${a.event}" is a ${type}`,
        a.propertySpan,
      );
    }
  } else if (a.fn !== "count" && a.fn !== "any") {
    const numeric = Object.entries(properties)
      .filter(([, t]) => t === "number")
      .map(([n]) => n);
    const example = a.fn === "count_distinct" ? (Object.keys(properties)[0] ?? "property") : (numeric[0] ?? VALUE_COLUMN);
    ctx.report("aggregateNeedsProperty", `"${a.fn}" needs a property of "${a.event}", as in ${a.fn}(${a.event}.${example})`, a.span);
  }
  if (a.where) {
    ctx.diagnostics.push(...checkInScope(a.where, ctx.env, { kind: "event", event: a.event, properties }));
  }
}
