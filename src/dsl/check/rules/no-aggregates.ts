import { AGGREGATES } from "../../ast.js";
import type { ConditionRule } from "../rule.js";

const AGGREGATE_SET = new Set<string>(AGGREGATES);

/** Aggregates belong to metric expressions, never to targeting nor to another aggregate's filter. */
export const NoAggregatesRule: ConditionRule = {
  name: "no-aggregates",
  visit(e, ctx) {
    const name = e.kind === "aggregate" ? e.fn : e.kind === "call" && AGGREGATE_SET.has(e.name) ? e.name : undefined;
    if (name === undefined) return;
    if (ctx.scope.kind === "unit")
      ctx.report("aggregateInCondition", `Aggregate "${name}(...)" is only allowed in metric expressions, not in a condition`, e.span);
    else ctx.report("nestedAggregate", `Aggregate "${name}(...)" cannot appear inside the "where" filter of another aggregate`, e.span);
  },
};
