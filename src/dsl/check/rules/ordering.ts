import { checkOrderingPair } from "../compare.js";
import type { ConditionRule } from "../rule.js";

/** `<`, `<=`, `>`, `>=` and `between` need numbers, dates or versions on both sides. */
export const OrderingRule: ConditionRule = {
  name: "ordering",
  visit(e, ctx) {
    if (e.kind === "binary" && (e.op === "<" || e.op === "<=" || e.op === ">" || e.op === ">=")) {
      checkOrderingPair(ctx, e.left, e.right, e.op);
    } else if (e.kind === "between") {
      if (checkOrderingPair(ctx, e.value, e.low, "between")) checkOrderingPair(ctx, e.value, e.high, "between");
    }
  },
};
