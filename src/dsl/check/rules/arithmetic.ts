import { show } from "../compare.js";
import type { ConditionRule } from "../rule.js";
import { typeName } from "../types.js";

/** `+ - * /` and unary minus work on numbers. */
export const ArithmeticRule: ConditionRule = {
  name: "arithmetic",
  visit(e, ctx) {
    const operands =
      e.kind === "binary" && (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/")
        ? [e.left, e.right]
        : e.kind === "unary" && e.op === "-"
          ? [e.operand]
          : [];
    const op = e.kind === "binary" || e.kind === "unary" ? e.op : "";
    for (const side of operands) {
      const t = ctx.typeOf(side);
      if (t !== "number" && t !== "unknown")
        ctx.report("numberOperand", `"${op}" needs numbers, but ${show(side)} is ${typeName(t)}`, side.span);
    }
  },
};
