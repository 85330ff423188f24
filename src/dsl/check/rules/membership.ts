import { checkEqualityPair } from "../compare.js";
import type { ConditionRule } from "../rule.js";

/** Every element of `x in [...]` must be comparable with x. */
export const MembershipRule: ConditionRule = {
  name: "membership",
  visit(e, ctx) {
    if (e.kind !== "in") return;
    for (const item of e.list.items) checkEqualityPair(ctx, e.value, item, e.negated ? "not in" : "in", true);
  },
};
