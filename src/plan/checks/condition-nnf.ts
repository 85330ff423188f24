import { printExpr, type Expr } from "../../dsl/index.js";

/**
 * Conditions in negation normal form: and/or over literals, each an atom about one attribute (or an
 * opaque condition) with a polarity. Segments are inlined; a segment cycle stays opaque.
 */

export type Lit =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "semver"; value: string }
  | { kind: "date"; value: string };

export type Test =
  | { test: "eq" | "ne"; value: Lit }
  | { test: "in" | "not_in"; values: Lit[] }
  | { test: "cmp"; op: "<" | "<=" | ">" | ">="; value: Lit }
  | { test: "between"; low: Lit; high: Lit }
  | { test: "truthy" }
  | { test: "null" };

export type Atom = Test & { attr: string };

export type Formula =
  | { k: "const"; value: boolean }
  | { k: "and" | "or"; parts: Formula[] }
  /** atom is absent for a condition the test does not understand; key names it either way. */
  | { k: "atom"; atom?: Atom; key: string; negated: boolean };

export const TRUE: Formula = { k: "const", value: true };
const FALSE: Formula = { k: "const", value: false };

/** Looks up a segment's condition for inlining. */
export type SegmentLookup = (name: string) => Expr | undefined;

function literal(e: Expr): Lit | undefined {
  switch (e.kind) {
    case "string":
      return { kind: "string", value: e.value };
    case "number":
    case "percent":
      return { kind: "number", value: e.value };
    case "boolean":
      return { kind: "boolean", value: e.value };
    case "unary": {
      const inner = e.op === "-" ? literal(e.operand) : undefined;
      return inner?.kind === "number" ? { kind: "number", value: -inner.value } : undefined;
    }
    case "call": {
      const arg = e.args.length === 1 ? e.args[0] : undefined;
      if (arg?.kind !== "string") return undefined;
      if (e.name === "semver") return { kind: "semver", value: arg.value };
      if (e.name === "date") return { kind: "date", value: arg.value };
      return undefined;
    }
    default:
      return undefined;
  }
}

function attrName(e: Expr): string | undefined {
  return e.kind === "path" ? e.segments.map((s) => s.name).join(".") : undefined;
}

const FLIP = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" } as const;

function atom(a: Atom, key: string, negated: boolean): Formula {
  return { k: "atom", atom: a, key, negated };
}

/**
 * A condition the test cannot look into. It still has a truth value per unit, so the same
 * condition asserted and denied in one term is a contradiction.
 */
function opaque(e: Expr, negated: boolean): Formula {
  return { k: "atom", key: printExpr(e), negated };
}

function comparison(e: Expr & { kind: "binary" }, negated: boolean): Formula {
  const key = printExpr(e);
  let attr = attrName(e.left);
  let lit = literal(e.right);
  let op = e.op;
  if (attr === undefined || (lit === undefined && e.right.kind !== "null")) {
    attr = attrName(e.right);
    lit = literal(e.left);
    if (op in FLIP) op = FLIP[op as keyof typeof FLIP];
    if (attr === undefined || (lit === undefined && e.left.kind !== "null")) return opaque(e, negated);
  }
  if (lit === undefined) {
    // `x == null` / `x != null`
    if (op === "==") return atom({ attr, test: "null" }, `${attr} is null`, negated);
    if (op === "!=") return atom({ attr, test: "null" }, `${attr} is null`, !negated);
    return opaque(e, negated);
  }
  if (op === "==") return atom({ attr, test: "eq", value: lit }, key, negated);
  // `!=` is its own atom, not `not ==`: both are false on a missing attribute.
  if (op === "!=") return atom({ attr, test: "ne", value: lit }, key, negated);
  if (op === "<" || op === "<=" || op === ">" || op === ">=") return atom({ attr, test: "cmp", op, value: lit }, key, negated);
  return opaque(e, negated);
}

export function toNnf(e: Expr, negated: boolean, segment: SegmentLookup, inlining: Set<string> = new Set()): Formula {
  switch (e.kind) {
    case "boolean":
      return e.value !== negated ? TRUE : FALSE;
    case "unary":
      return e.op === "not" ? toNnf(e.operand, !negated, segment, inlining) : opaque(e, negated);
    case "binary":
      if (e.op === "and" || e.op === "or") {
        const isAnd = (e.op === "and") !== negated;
        return { k: isAnd ? "and" : "or", parts: [toNnf(e.left, negated, segment, inlining), toNnf(e.right, negated, segment, inlining)] };
      }
      return comparison(e, negated);
    case "path":
      return atom({ attr: attrName(e)!, test: "truthy" }, printExpr(e), negated);
    case "in": {
      const attr = attrName(e.value);
      const values = e.list.items.map(literal);
      if (attr === undefined || values.some((v) => v === undefined)) return opaque(e, negated);
      return atom({ attr, test: e.negated ? "not_in" : "in", values: values as Lit[] }, printExpr(e), negated);
    }
    case "between": {
      const attr = attrName(e.value);
      const low = literal(e.low);
      const high = literal(e.high);
      if (attr === undefined || !low || !high) return opaque(e, negated);
      return atom({ attr, test: "between", low, high }, printExpr(e), negated);
    }
    case "is_null": {
      const attr = attrName(e.value);
      return attr === undefined ? opaque(e, negated) : atom({ attr, test: "null" }, `${attr} is null`, negated !== e.negated);
    }
    case "call": {
      const arg = e.args[0];
      if (e.name !== "segment" || e.args.length !== 1 || arg?.kind !== "string") return opaque(e, negated);
      const when = inlining.has(arg.value) ? undefined : segment(arg.value);
      if (!when) return opaque(e, negated);
      const inner = new Set(inlining).add(arg.value);
      return toNnf(when, negated, segment, inner);
    }
    default:
      return opaque(e, negated);
  }
}
