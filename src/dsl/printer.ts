import type { Expr } from "./ast.js";
import { chainOf, isChain } from "./chain.js";

/**
 * Canonical printing: single spaces around binary operators, minimal parentheses by precedence,
 * strings re-escaped as JSON, numbers, percents and durations in their source spelling.
 * Parsing the output gives back the same tree (spans aside) for a tree the parser built; a chain of
 * `and`/`or` of another shape comes back balanced (chain.ts), with the same meaning.
 */
export function printExpr(expr: Expr): string {
  return print(expr, 0);
}

// Binding strength, loosest first; mirrors the grammar of docs/language.md.
const OR = 1;
const AND = 2;
const NOT = 3;
const COMPARISON = 4;
const ADDITIVE = 5;
const TERM = 6;
const UNARY = 7;
const PRIMARY = 8;

function precedence(e: Expr): number {
  switch (e.kind) {
    case "binary":
      switch (e.op) {
        case "or":
          return OR;
        case "and":
          return AND;
        case "+":
        case "-":
          return ADDITIVE;
        case "*":
        case "/":
          return TERM;
        default:
          return COMPARISON;
      }
    case "unary":
      return e.op === "not" ? NOT : UNARY;
    case "in":
    case "matches":
    case "between":
    case "is_null":
      return COMPARISON;
    default:
      return PRIMARY;
  }
}

function print(e: Expr, min: number): string {
  const s = printBare(e);
  return precedence(e) < min ? `(${s})` : s;
}

function printBare(e: Expr): string {
  switch (e.kind) {
    case "number":
    case "percent":
    case "duration":
      return e.raw;
    case "string":
      return JSON.stringify(e.value);
    case "boolean":
      return e.value ? "true" : "false";
    case "null":
      return "null";
    case "path":
      return e.segments.map((s) => s.name).join(".");
    case "call":
      return `${e.name}(${e.args.map((a) => print(a, 0)).join(", ")})`;
    case "list":
      return `[${e.items.map((a) => print(a, 0)).join(", ")}]`;
    case "aggregate": {
      const target = e.property === undefined ? e.event : `${e.event}.${e.property}`;
      return `${e.fn}(${target}${e.where ? ` where ${print(e.where, 0)}` : ""})`;
    }
    case "unary":
      if (e.op === "not") return `not ${print(e.operand, NOT)}`;
      // A space keeps `- -x` from reading as a decrement and `- 5` stays distinct from a literal.
      return e.operand.kind === "unary" && e.operand.op === "-" ? `- ${print(e.operand, UNARY)}` : `-${print(e.operand, UNARY)}`;
    case "binary": {
      const p = precedence(e);
      // A chain prints flat whatever its shape: and/or are associative, and the parser balances it again.
      if (isChain(e))
        return chainOf(e)
          .operands.map((o) => print(o, p + 1))
          .join(` ${e.op} `);
      // Comparisons do not chain, so both sides must bind tighter; the others are left-associative.
      const leftMin = p === COMPARISON ? ADDITIVE : p;
      return `${print(e.left, leftMin)} ${e.op} ${print(e.right, p === COMPARISON ? ADDITIVE : p + 1)}`;
    }
    case "in":
      return `${print(e.value, ADDITIVE)} ${e.negated ? "not in" : "in"} ${print(e.list, 0)}`;
    case "matches":
      return `${print(e.value, ADDITIVE)} matches ${JSON.stringify(e.pattern.value)}`;
    case "between":
      return `${print(e.value, ADDITIVE)} between ${print(e.low, ADDITIVE)} and ${print(e.high, ADDITIVE)}`;
    case "is_null":
      return `${print(e.value, ADDITIVE)} ${e.negated ? "is not null" : "is null"}`;
  }
}

/** The tree without spans, for structural equality in tests and change detection. */
export function stripSpans(expr: Expr): unknown {
  return strip(expr);
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === "span" || k.endsWith("Span") || val === undefined) continue;
    out[k] = strip(val);
  }
  return out;
}
