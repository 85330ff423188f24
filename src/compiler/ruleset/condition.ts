import { diagnostic, type Diagnostic, type Span } from "../../diagnostics/diagnostic.js";
import type { Expr } from "../../dsl/index.js";
import type { AttributeType } from "../../workspace/model.js";
import type { CompareAs, Condition, Operand } from "../../ruleset/types.js";
import { RULESET_CODES } from "./codes.js";

/**
 * Lowers a type-checked condition AST to the ruleset's plain JSON condition. Comparisons against a
 * semver- or date-typed attribute (or a semver()/date() literal) are marked so the runtime orders them
 * by version or by instant. Anything without a runtime meaning becomes a diagnostic.
 */
export function lowerCondition(e: Expr, attributes: Record<string, AttributeType>, diags: Diagnostic[]): Condition {
  const fail = (span: Span, what: string): Condition => {
    diags.push(
      diagnostic(
        RULESET_CODES.unsupportedExpression,
        `${what} cannot be used in a runtime condition; rewrite it with attributes, literals and condition functions.`,
        { span },
      ),
    );
    return { op: "true" };
  };
  const cond = (x: Expr): Condition => lowerCondition(x, attributes, diags);
  const operand = (x: Expr): Operand => lowerOperand(x, diags);
  const kindOf = (...xs: Expr[]): CompareAs => {
    for (const x of xs) {
      if (x.kind === "path") {
        const t = attributes[x.segments.map((s) => s.name).join(".")];
        if (t === "semver") return "semver";
        if (t === "date") return "date";
      }
      if (x.kind === "call" && (x.name === "semver" || x.name === "date")) return x.name;
    }
    return "value";
  };
  switch (e.kind) {
    case "boolean":
      return e.value ? { op: "true" } : { op: "not", arg: { op: "true" } };
    case "path":
    case "call": {
      if (e.kind === "call" && e.name === "segment") {
        const a = e.args[0];
        if (a?.kind !== "string") return fail(e.span, "segment() without a string name");
        return { op: "segment", name: a.value };
      }
      if (e.kind === "call" && e.name === "in_experiment") {
        const [k, v] = e.args;
        if (k?.kind !== "string" || (v !== undefined && v.kind !== "string"))
          return fail(e.span, "in_experiment() without string arguments");
        return v ? { op: "in_experiment", experiment: k.value, variant: v.value } : { op: "in_experiment", experiment: k.value };
      }
      return { op: "truthy", arg: operand(e) };
    }
    case "unary":
      if (e.op === "not") return { op: "not", arg: cond(e.operand) };
      return fail(e.span, "A negative number");
    case "binary":
      switch (e.op) {
        case "and":
        case "or": {
          // Flatten chains so that evaluation and export see one n-ary node.
          const args: Condition[] = [];
          for (const side of [e.left, e.right]) {
            const c = cond(side);
            if (c.op === e.op) args.push(...c.args);
            else args.push(c);
          }
          return { op: e.op, args };
        }
        case "==":
        case "!=":
        case "<":
        case "<=":
        case ">":
        case ">=":
          return { op: e.op, as: kindOf(e.left, e.right), args: [operand(e.left), operand(e.right)] };
        case "contains":
        case "starts_with":
        case "ends_with":
          return { op: e.op, args: [operand(e.left), operand(e.right)] };
        default:
          return fail(e.span, `Arithmetic ("${e.op}") in condition position`);
      }
    case "in": {
      const c: Condition = { op: "in", as: kindOf(e.value, ...e.list.items), arg: operand(e.value), values: e.list.items.map(operand) };
      return e.negated ? { op: "not", arg: c } : c;
    }
    case "matches":
      return { op: "matches", arg: operand(e.value), pattern: e.pattern.value };
    case "between":
      return { op: "between", as: kindOf(e.value, e.low, e.high), args: [operand(e.value), operand(e.low), operand(e.high)] };
    case "is_null": {
      const c: Condition = { op: "is_null", arg: operand(e.value) };
      return e.negated ? { op: "not", arg: c } : c;
    }
    default:
      return fail(e.span, `A ${e.kind} value`);
  }
}

export function lowerOperand(e: Expr, diags: Diagnostic[]): Operand {
  const fail = (what: string): Operand => {
    diags.push(
      diagnostic(RULESET_CODES.unsupportedExpression, `${what} cannot be used as a value in a runtime condition.`, { span: e.span }),
    );
    return { op: "lit", value: null };
  };
  switch (e.kind) {
    case "number":
    case "percent":
      return { op: "lit", value: e.value };
    case "duration":
      return { op: "lit", value: e.seconds };
    case "string":
    case "boolean":
      return { op: "lit", value: e.value };
    case "null":
      return { op: "lit", value: null };
    case "path":
      return { op: "attr", name: e.segments.map((s) => s.name).join(".") };
    case "list":
      return { op: "list", items: e.items.map((i) => lowerOperand(i, diags)) };
    case "unary":
      return e.op === "-" ? { op: "neg", arg: lowerOperand(e.operand, diags) } : fail("A negated condition");
    case "binary":
      if (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/")
        return { op: e.op, args: [lowerOperand(e.left, diags), lowerOperand(e.right, diags)] };
      return fail(`A "${e.op}" condition`);
    case "call": {
      const a = e.args[0];
      if ((e.name === "semver" || e.name === "date") && a?.kind === "string" && e.args.length === 1) return { op: "lit", value: a.value };
      if ((e.name === "lower" || e.name === "len") && a && e.args.length === 1) return { op: e.name, arg: lowerOperand(a, diags) };
      return fail(`The call "${e.name}()"`);
    }
    default:
      return fail(`A ${e.kind} expression`);
  }
}
