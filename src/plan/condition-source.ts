import type { Span } from "../diagnostics/diagnostic.js";
import { printExpr, type Expr, type ListExpr } from "../dsl/index.js";
import type { CompareAs, Condition, Operand } from "../ruleset/types.js";

/**
 * A compiled ruleset condition written back in the expression language, canonically (src/dsl's
 * printer), so that a plan shows targeting as a person wrote it, for the published side too, where
 * no YAML is at hand. Comparisons the runtime orders as versions or instants print their literals as
 * `semver("…")` and `date("…")`; a negated `in` or `is null` prints as `not in` / `is not null`.
 * Percent and duration literals were compiled to numbers and print as numbers.
 */
export function conditionSource(c: Condition): string {
  return printExpr(lift(c));
}

// The printer never reads spans; the lifted tree has no source to point into.
const NOWHERE: Span = { file: "", line: 0, column: 0, endLine: 0, endColumn: 0, offset: 0, endOffset: 0 };

function lift(c: Condition): Expr {
  switch (c.op) {
    case "true":
      return { kind: "boolean", value: true, span: NOWHERE };
    case "and":
    case "or": {
      const [first, ...rest] = c.args.map(lift);
      if (!first) return { kind: "boolean", value: c.op === "and", span: NOWHERE };
      return rest.reduce<Expr>((left, right) => binary(c.op, left, right), first);
    }
    case "not": {
      if (c.arg.op === "true") return { kind: "boolean", value: false, span: NOWHERE };
      const inner = lift(c.arg);
      if (inner.kind === "in" || inner.kind === "is_null") return { ...inner, negated: !inner.negated };
      return { kind: "unary", op: "not", operand: inner, span: NOWHERE };
    }
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
      return binary(c.op, operand(c.args[0], c.as), operand(c.args[1], c.as));
    case "in":
      return { kind: "in", negated: false, value: operand(c.arg, c.as), list: list(c.values, c.as), span: NOWHERE };
    case "contains":
    case "starts_with":
    case "ends_with":
      return binary(c.op, operand(c.args[0]), operand(c.args[1]));
    case "matches":
      return { kind: "matches", value: operand(c.arg), pattern: { kind: "string", value: c.pattern, span: NOWHERE }, span: NOWHERE };
    case "between":
      return {
        kind: "between",
        value: operand(c.args[0], c.as),
        low: operand(c.args[1], c.as),
        high: operand(c.args[2], c.as),
        span: NOWHERE,
      };
    case "is_null":
      return { kind: "is_null", negated: false, value: operand(c.arg), span: NOWHERE };
    case "truthy":
      return operand(c.arg);
    case "segment":
      return call("segment", [text(c.name)]);
    case "in_experiment":
      return call("in_experiment", c.variant === undefined ? [text(c.experiment)] : [text(c.experiment), text(c.variant)]);
  }
}

function operand(o: Operand, as: CompareAs = "value"): Expr {
  switch (o.op) {
    case "attr":
      return { kind: "path", segments: o.name.split(".").map((name) => ({ name, span: NOWHERE })), span: NOWHERE };
    case "lit":
      return literal(o.value, as);
    case "list":
      return list(o.items, as);
    case "lower":
    case "len":
      return call(o.op, [operand(o.arg)]);
    case "neg":
      return { kind: "unary", op: "-", operand: operand(o.arg), span: NOWHERE };
    case "+":
    case "-":
    case "*":
    case "/":
      return binary(o.op, operand(o.args[0]), operand(o.args[1]));
  }
}

function literal(v: string | number | boolean | null, as: CompareAs): Expr {
  if (v === null) return { kind: "null", span: NOWHERE };
  if (typeof v === "boolean") return { kind: "boolean", value: v, span: NOWHERE };
  if (typeof v === "number") {
    const n: Expr = { kind: "number", value: Math.abs(v), raw: String(Math.abs(v)), span: NOWHERE };
    return v < 0 ? { kind: "unary", op: "-", operand: n, span: NOWHERE } : n;
  }
  // A version or an instant compared as such was written semver("…") or date("…") (or as a string next
  // to a typed attribute, which means the same).
  return as === "value" ? text(v) : call(as, [text(v)]);
}

function list(items: Operand[], as: CompareAs): ListExpr {
  return { kind: "list", items: items.map((i) => operand(i, as)), span: NOWHERE };
}

function binary(op: Extract<Expr, { kind: "binary" }>["op"], left: Expr, right: Expr): Expr {
  return { kind: "binary", op, opSpan: NOWHERE, left, right, span: NOWHERE };
}

function call(name: string, args: Expr[]): Expr {
  return { kind: "call", name, nameSpan: NOWHERE, args, span: NOWHERE };
}

function text(value: string): Expr {
  return { kind: "string", value, span: NOWHERE };
}
