import type { Expr } from "../ast.js";
import type { CheckContext } from "./context.js";

/** One check of conditions: called on every node of the tree, reports through the context. */
export interface ConditionRule {
  name: string;
  visit(e: Expr, ctx: CheckContext): void;
}
