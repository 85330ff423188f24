import { show } from "../compare.js";
import { regexError } from "../literals.js";
import type { ConditionRule } from "../rule.js";
import { isStringLike, typeName } from "../types.js";

/** `contains`, `starts_with`, `ends_with` and `matches` work on strings; a `matches` pattern must compile. */
export const StringOperatorsRule: ConditionRule = {
  name: "string-operators",
  visit(e, ctx) {
    if (e.kind === "binary" && (e.op === "contains" || e.op === "starts_with" || e.op === "ends_with")) {
      for (const side of [e.left, e.right]) {
        const t = ctx.typeOf(side);
        if (!isStringLike(t)) ctx.report("stringOperand", `"${e.op}" needs strings, but ${show(side)} is ${typeName(t)}`, side.span);
      }
    } else if (e.kind === "matches") {
      const t = ctx.typeOf(e.value);
      if (!isStringLike(t)) ctx.report("stringOperand", `"matches" needs a string, but ${show(e.value)} is ${typeName(t)}`, e.value.span);
      const problem = regexError(e.pattern.value);
      if (problem !== undefined)
        ctx.report("invalidRegex", `Invalid regular expression ${JSON.stringify(e.pattern.value)}: ${problem}`, e.pattern.span);
    }
  },
};
