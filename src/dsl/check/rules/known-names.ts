import { didYouMean } from "../../../diagnostics/suggest.js";
import type { ConditionRule } from "../rule.js";
import { own } from "../own.js";
import { eventNames, eventPropertyType } from "../scope.js";

/** Every bare name is a declared attribute (targeting) or a property of the filtered event (`where`). */
export const KnownNamesRule: ConditionRule = {
  name: "known-names",
  visit(e, ctx) {
    if (e.kind !== "path") return;
    const full = e.segments.map((s) => s.name).join(".");
    const first = e.segments[0]!;
    if (ctx.scope.kind === "unit") {
      if (e.segments.length > 1) {
        ctx.report(
          "dottedAttribute",
          `Unknown attribute "${full}": attributes are flat names declared under "attributes" in exp.yaml`,
          e.span,
          didYouMean(full.replace(/\./g, "_"), Object.keys(ctx.env.attributes)),
        );
        return;
      }
      if (own(ctx.env.attributes, first.name) === undefined) {
        ctx.report(
          "unknownAttribute",
          `Unknown attribute "${first.name}"; declare it under "attributes" in exp.yaml`,
          first.span,
          didYouMean(first.name, Object.keys(ctx.env.attributes)),
        );
      }
      return;
    }
    const scope = ctx.scope;
    if (e.segments.length > 1) {
      const last = e.segments[e.segments.length - 1]!;
      const hint = eventPropertyType(scope, last.name) !== undefined ? `write "${last.name}"` : undefined;
      ctx.report(
        "unknownProperty",
        `Unknown property "${full}": inside "where", name properties of "${scope.event}" directly`,
        e.span,
        hint,
      );
      return;
    }
    if (eventPropertyType(scope, first.name) === undefined) {
      ctx.report(
        "unknownProperty",
        `Unknown property "${first.name}" of event "${scope.event}"; declare it under "events.${scope.event}" in exp.yaml`,
        first.span,
        didYouMean(first.name, eventNames(scope)),
      );
    }
  },
};
