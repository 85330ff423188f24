import { show } from "../compare.js";
import type { ConditionRule } from "../rule.js";
import { typeName } from "../types.js";

/** `and`, `or` and `not` combine booleans. */
export const LogicalRule: ConditionRule = {
  name: "logical",
  visit(e, ctx) {
    const operands =
      e.kind === "binary" && (e.op === "and" || e.op === "or")
        ? [e.left, e.right]
        : e.kind === "unary" && e.op === "not"
          ? [e.operand]
          : [];
    const op = e.kind === "binary" || e.kind === "unary" ? e.op : "";
    for (const side of operands) {
      const t = ctx.typeOf(side);
      if (t !== "boolean" && t !== "unknown")
        ctx.report("booleanOperand", `"${op}" needs true/false conditions, but ${show(side)} is ${typeName(t)}`, side.span);
    }
  },
};
