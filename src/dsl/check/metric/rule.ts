import type { Expr } from "../../ast.js";
import type { CheckContext } from "../context.js";

/** One check of metric expressions: sees the whole tree, reports through the context. */
export interface MetricRule {
  name: string;
  check(root: Expr, ctx: CheckContext): void;
}
