import { checkEqualityPair } from "../compare.js";
import type { ConditionRule } from "../rule.js";

/** `==` and `!=` compare values of one type; enums against their declared values; versions against valid versions. */
export const EqualityRule: ConditionRule = {
  name: "equality",
  visit(e, ctx) {
    if (e.kind === "binary" && (e.op === "==" || e.op === "!=")) checkEqualityPair(ctx, e.left, e.right, e.op);
  },
};
