import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Expr } from "../ast.js";
import { show } from "./compare.js";
import { CheckContext } from "./context.js";
import type { CheckEnv } from "./env.js";
import type { ConditionRule } from "./rule.js";
import { conditionRules } from "./rules/index.js";
import type { NameScope } from "./scope.js";
import { typeName } from "./types.js";

/** Checks a targeting condition or a segment's `when` against the workspace declarations. */
export function checkCondition(expr: Expr, env: CheckEnv): Diagnostic[] {
  return checkInScope(expr, env, { kind: "unit" });
}

/** Runs the condition rules over a tree whose bare names mean what `scope` says; the root must be boolean. */
export function checkInScope(expr: Expr, env: CheckEnv, scope: NameScope, rules: readonly ConditionRule[] = conditionRules): Diagnostic[] {
  const ctx = new CheckContext(env, scope);
  walk(expr, (e) => {
    for (const rule of rules) rule.visit(e, ctx);
  });
  const t = ctx.typeOf(expr);
  if (t !== "boolean" && t !== "unknown") {
    ctx.report("notBoolean", `A condition must be true or false, but ${show(expr)} is ${typeName(t)}`, expr.span);
  }
  return sortBySpan(ctx.diagnostics);
}

/** Pre-order walk; an aggregate's filter is its own scope, checked by the metric checks, so the walk stops there. */
export function walk(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.kind) {
    case "call":
      e.args.forEach((a) => walk(a, visit));
      return;
    case "list":
      e.items.forEach((a) => walk(a, visit));
      return;
    case "unary":
      walk(e.operand, visit);
      return;
    case "binary":
      walk(e.left, visit);
      walk(e.right, visit);
      return;
    case "in":
      walk(e.value, visit);
      walk(e.list, visit);
      return;
    case "matches":
      walk(e.value, visit);
      return;
    case "between":
      walk(e.value, visit);
      walk(e.low, visit);
      walk(e.high, visit);
      return;
    case "is_null":
      walk(e.value, visit);
      return;
    default:
      return;
  }
}

export function sortBySpan(diags: Diagnostic[]): Diagnostic[] {
  return diags
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.offset ?? 0) - (b.d.span?.offset ?? 0) || a.i - b.i)
    .map((x) => x.d);
}
