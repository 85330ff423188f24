import { diagnostic } from "../../diagnostics/diagnostic.js";
import type { AggregateExpr } from "../../dsl/index.js";
import { SQL_CODES } from "./codes.js";
import { conditionSql } from "./condition.js";
import type { SqlContext } from "./context.js";
import { checkEvent, eventColumn, propertySql } from "./event-property.js";

/** Aggregates whose value for a unit with no matching events is 0 (docs/analysis.md (semantics, rule 2)); the others have no value. */
const ZERO_FILLED = new Set(["count", "sum", "any", "count_distinct"]);

export function isZeroFilled(agg: AggregateExpr): boolean {
  return ZERO_FILLED.has(agg.fn);
}

/** The parts of an aggregate that do not depend on the time range: the event match and the value. */
export interface CompiledAggregate {
  readonly agg: AggregateExpr;
  /** Predicate selecting the aggregate's event name. */
  readonly event: string;
  /** The compiled `where`, if any. */
  readonly where?: string;
  /** Per-event value for sum/mean/min/max/count_distinct/quantiles; absent for plain counts. */
  readonly value?: string;
}

export function compileAggregate(ctx: SqlContext, agg: AggregateExpr): CompiledAggregate | undefined {
  if (!checkEvent(ctx, agg.event, agg.eventSpan)) return undefined;
  const event = `${eventColumn(ctx, "event")} = ${ctx.params.string(agg.event)}`;
  let where: string | undefined;
  if (agg.where) {
    where = conditionSql(ctx, agg.event, agg.where);
    if (where === undefined) return undefined;
  }
  let value: string | undefined;
  if (agg.property !== undefined) {
    value = propertySql(ctx, agg.event, agg.property, agg.propertySpan);
    if (value === undefined) return undefined;
  } else if (agg.fn === "count_distinct") {
    value = eventColumn(ctx, "event_id");
  } else if (agg.fn !== "count" && agg.fn !== "any") {
    value = eventColumn(ctx, "value");
  }
  return { agg, event, where, value };
}

/**
 * The unit-level aggregate over the events that match and satisfy `range`. The event-name test
 * is left out when the scan reads a single event name, since the scan already guarantees it.
 */
export function unitAggregateSql(ctx: SqlContext, c: CompiledAggregate, range: string[], scanHasOneEvent: boolean): string | undefined {
  const predicates = [...(scanHasOneEvent ? [] : [c.event]), ...(c.where === undefined ? [] : [c.where]), ...range];
  const when = (then: string, otherwise?: string) =>
    predicates.length === 0
      ? then
      : `CASE WHEN ${predicates.join(" AND ")} THEN ${then}${otherwise === undefined ? "" : ` ELSE ${otherwise}`} END`;
  switch (c.agg.fn) {
    case "any":
      return predicates.length === 0 ? "1" : `MAX(${when("1", "0")})`;
    case "count":
      return c.value === undefined && predicates.length === 0 ? "COUNT(*)" : `COUNT(${when(c.value ?? "1")})`;
    case "sum":
      return `SUM(${when(c.value!)})`;
    case "mean":
      return `AVG(${when(c.value!)})`;
    case "min":
      return `MIN(${when(c.value!)})`;
    case "max":
      return `MAX(${when(c.value!)})`;
    case "count_distinct":
      return `COUNT(DISTINCT ${when(c.value!)})`;
    default:
      ctx.diagnostics.push(
        diagnostic(
          SQL_CODES.unsupportedMetric,
          `The quantile "${c.agg.fn}" cannot be combined with other aggregates; define it as a metric of its own.`,
          { span: c.agg.fnSpan },
        ),
      );
      return undefined;
  }
}
