import { AGGREGATES, type Expr } from "../../ast.js";
import { show } from "../compare.js";
import type { MetricRule } from "./rule.js";

const AGGREGATE_SET = new Set<string>(AGGREGATES);

/** A metric is `+ - * /`, unary minus, numbers and aggregates, with at least one aggregate. */
export const ArithmeticShapeRule: MetricRule = {
  name: "arithmetic-shape",
  check(root, ctx) {
    let aggregates = 0;
    const visit = (e: Expr): void => {
      switch (e.kind) {
        case "number":
        case "percent":
          return;
        case "aggregate":
          aggregates++;
          return;
        case "unary":
          if (e.op === "-") return visit(e.operand);
          break;
        case "binary":
          if (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/") {
            visit(e.left);
            visit(e.right);
            return;
          }
          break;
        case "call":
          if (AGGREGATE_SET.has(e.name)) {
            aggregates++;
            ctx.report(
              "aggregateShape",
              `"${e.name}" takes one event or event.property, optionally followed by "where", as in ${e.name}(purchase${e.name === "count" || e.name === "any" ? "" : ".revenue"})`,
              e.span,
            );
            return;
          }
          break;
      }
      ctx.report(
        "metricNotArithmetic",
        `A metric expression is arithmetic over aggregates such as count(event); ${show(e)} is not allowed here`,
        e.span,
      );
      aggregates++; // already reported; do not also say "no aggregate"
    };
    visit(root);
    if (aggregates === 0)
      ctx.report("noAggregate", `A metric expression needs at least one aggregate such as count(event) or sum(event.property)`, root.span);
  },
};
