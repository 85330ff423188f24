import { didYouMean } from "../../../diagnostics/suggest.js";
import { AGGREGATES, type CallExpr } from "../../ast.js";
import { show } from "../compare.js";
import type { CheckContext } from "../context.js";
import { FUNCTIONS } from "../functions.js";
import { own } from "../own.js";
import { isSemver } from "../../../ruleset/semver.js";
import { isValidDate } from "../literals.js";
import type { ConditionRule } from "../rule.js";
import { isStringLike, typeName } from "../types.js";

const AGGREGATE_SET = new Set<string>(AGGREGATES);

/** Calls name a known function, with the right number and types of arguments, and valid literal arguments. */
export const FunctionCallsRule: ConditionRule = {
  name: "function-calls",
  visit(e, ctx) {
    if (e.kind !== "call" || AGGREGATE_SET.has(e.name)) return;
    const sig = own(FUNCTIONS, e.name);
    if (!sig) {
      ctx.report(
        "unknownFunction",
        `Unknown function "${e.name}"; the functions are ${Object.keys(FUNCTIONS).join(", ")}`,
        e.nameSpan,
        didYouMean(e.name, Object.keys(FUNCTIONS)),
      );
      return;
    }
    const max = sig.params.length;
    const min = max - sig.optional;
    if (e.args.length < min || e.args.length > max) {
      const expected = min === max ? `${max} argument${max === 1 ? "" : "s"}` : `${min} to ${max} arguments`;
      ctx.report("arity", `"${e.name}" takes ${expected} but got ${e.args.length}`, e.span);
      return;
    }
    let ok = true;
    e.args.forEach((arg, i) => {
      const param = sig.params[i]!;
      const t = ctx.typeOf(arg);
      if (param.literal && arg.kind !== "string") {
        ctx.report("literalArgument", `The ${param.name} given to "${e.name}" must be a string literal in double quotes`, arg.span);
        ok = false;
      } else if (!isStringLike(t)) {
        ctx.report("argumentType", `"${e.name}" needs a string ${param.name}, but ${show(arg)} is ${typeName(t)}`, arg.span);
        ok = false;
      }
    });
    if (ok) checkLiteralArguments(e, ctx);
  },
};

function checkLiteralArguments(e: CallExpr, ctx: CheckContext): void {
  const [first, second] = e.args;
  if (first?.kind !== "string") return;
  switch (e.name) {
    case "semver":
      if (!isSemver(first.value))
        ctx.report("invalidSemver", `${JSON.stringify(first.value)} is not a valid semantic version such as "1.2.3"`, first.span);
      return;
    case "date":
      if (!isValidDate(first.value))
        ctx.report("invalidDate", `${JSON.stringify(first.value)} is not a valid date; write YYYY-MM-DD, such as "2026-12-01"`, first.span);
      return;
    case "segment":
      if (!ctx.env.segment(first.value)) {
        ctx.report(
          "unknownSegment",
          `Unknown segment "${first.value}"; segments are defined in segments/*.yaml`,
          first.span,
          didYouMean(first.value, ctx.env.segmentNames()),
        );
      }
      return;
    case "in_experiment": {
      const experiment = ctx.env.experiment(first.value);
      if (!experiment) {
        ctx.report(
          "unknownExperiment",
          `Unknown experiment "${first.value}"`,
          first.span,
          didYouMean(first.value, ctx.env.experimentKeys()),
        );
        return;
      }
      if (second?.kind === "string" && !experiment.variants.includes(second.value)) {
        ctx.report(
          "unknownVariant",
          `Experiment "${first.value}" has no variant "${second.value}"; its variants are ${experiment.variants.map((v) => JSON.stringify(v)).join(", ")}`,
          second.span,
          didYouMean(second.value, experiment.variants),
        );
      }
      return;
    }
  }
}
