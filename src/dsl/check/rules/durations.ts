import type { ConditionRule } from "../rule.js";

/** A duration has no comparable counterpart in a condition; the exposure clocks count plain days and hours. */
export const DurationsRule: ConditionRule = {
  name: "durations",
  visit(e, ctx) {
    if (e.kind !== "duration") return;
    const hint =
      e.unit === "d"
        ? `write ${e.raw.slice(0, -1)} with days_since_exposure`
        : e.unit === "h"
          ? `write ${e.raw.slice(0, -1)} with hours_since_exposure`
          : undefined;
    ctx.report("durationInCondition", `Duration "${e.raw}" cannot be used in a condition; compare plain numbers instead`, e.span, hint);
  },
};
